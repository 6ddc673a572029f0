import { useCallback, useEffect, useRef } from 'react';
import type { Request, WorkerEvent } from '../protocol.js';
import { trainRowsWanted } from '../train-rows.js';
import { initialBackend, threadsWanted } from './backend-choice.js';

/**
 * Starts the training worker once, initialises it with the URL's backend, and hands every event it sends to
 * `onEvent` (the latest one passed). Returns `send(request, transfer?)`.
 */
export function useWorker(onEvent: (event: WorkerEvent) => void) {
  const worker = useRef<Worker | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const w = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<WorkerEvent>) => handler.current(event.data);
    w.onerror = (event) =>
      handler.current({ type: 'error', kind: 'other', message: event.message || 'the worker failed to start' });
    const search = globalThis.location.search;
    w.postMessage({
      type: 'init',
      backend: initialBackend(search),
      threads: threadsWanted(search),
      trainRows: trainRowsWanted(search),
      pixelRatio: globalThis.devicePixelRatio || 1,
    } satisfies Request);
    worker.current = w;
    return () => w.terminate();
  }, []);
  return useCallback(
    (request: Request, transfer: Transferable[] = []) => worker.current?.postMessage(request, transfer),
    [],
  );
}

/** Writes a file the worker prepared (Download) through a temporary object URL. */
export function downloadFile(name: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
