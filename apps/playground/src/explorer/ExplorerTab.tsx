/**
 * The playground's "Explore" view: asks the worker to encode every example with the current model, gathers the
 * streamed chunks (each handled in well under a frame: a few typed-array copies) and mounts {@link LatentExplorer}
 * once all have arrived. Decode and reconstruct requests go to the same worker.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Request } from '../protocol.js';
import { onExplorerEvent } from './bus.js';
import type { ExplorerData } from './codes.js';
import { LatentExplorer } from './LatentExplorer.js';
import type { ExplorerEvent } from './protocol.js';

type Send = (request: Request) => void;

interface Meta {
  imageShape: [number, number] | null;
  classNames: string[] | null;
  caption: string;
  ms: number;
}

export function ExplorerTab({ send }: { send: Send }) {
  const [data, setData] = useState<ExplorerData | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [status, setStatus] = useState('Train or load a model, then press "Encode every example".');
  const building = useRef<ExplorerData | null>(null);
  const pending = useRef(new Map<number, (pixels: Uint8Array | null) => void>());
  const nextId = useRef(1);

  useEffect(
    () =>
      onExplorerEvent((event: ExplorerEvent) => {
        switch (event.type) {
          case 'explorer.start': {
            const pixels = event.imageShape ? event.imageShape[0] * event.imageShape[1] : 0;
            building.current = {
              n: event.n,
              latentDim: event.latentDim,
              z: new Float32Array(event.n * event.latentDim),
              labels: new Int32Array(event.n),
              loss: new Float32Array(event.n),
              kl: event.hasKl ? new Float32Array(event.n) : null,
              images: pixels ? new Uint8Array(event.n * pixels) : null,
              pixels,
            };
            const caption = event.sources.map((s) => `${s.n.toLocaleString('en')} ${s.name}`).join(' + ');
            setMeta({ imageShape: event.imageShape, classNames: event.classNames, caption, ms: 0 });
            setData(null);
            setStatus(`Encoding ${event.n.toLocaleString('en')} examples…`);
            return;
          }
          case 'explorer.chunk': {
            const b = building.current;
            if (!b) return;
            const count = event.loss.length;
            b.z.set(event.z, event.offset * b.latentDim);
            b.labels.set(event.labels, event.offset);
            b.loss.set(event.loss, event.offset);
            if (b.kl && event.kl) b.kl.set(event.kl, event.offset);
            if (b.images && event.images) b.images.set(event.images, event.offset * b.pixels);
            setStatus(`Encoding… ${(event.offset + count).toLocaleString('en')} of ${b.n.toLocaleString('en')}`);
            return;
          }
          case 'explorer.done': {
            const b = building.current;
            building.current = null;
            if (b) setData(b);
            setMeta((m) => m && { ...m, ms: event.ms });
            setStatus(`Encoded ${event.n.toLocaleString('en')} examples in ${(event.ms / 1000).toFixed(1)} s.`);
            return;
          }
          case 'explorer.image': {
            const resolve = pending.current.get(event.id);
            pending.current.delete(event.id);
            resolve?.(event.pixels);
            return;
          }
          case 'explorer.waiting':
          case 'explorer.error':
            setStatus(event.message);
            return;
        }
      }),
    [],
  );

  const ask = useCallback(
    (request: (id: number) => Request) =>
      new Promise<Uint8Array | null>((resolve) => {
        const id = nextId.current++;
        pending.current.set(id, resolve);
        send(request(id));
      }),
    [send],
  );
  const decode = useCallback((z: number[]) => ask((id) => ({ type: 'explorer.decode', id, z })), [ask]);
  const reconstruction = useCallback(
    (index: number) => ask((id) => ({ type: 'explorer.reconstruct', id, index })),
    [ask],
  );
  const image = useCallback(
    (i: number) => (data?.images ? data.images.subarray(i * data.pixels, (i + 1) * data.pixels) : null),
    [data],
  );

  return (
    <div className="view explorer-view" data-testid="explorer-view">
      <p className="hint">
        Every example's code, on the GPU: drag to pan, wheel to zoom, hover for the example and its reconstruction,
        click to decode the point under the pointer, shift-drag a lasso to decode the mean code of a selection.
      </p>
      <p>
        <button type="button" onClick={() => send({ type: 'explorer.encode' })} data-testid="explorer-encode">
          Encode every example
        </button>{' '}
        <span role="status" data-testid="explorer-status">
          {status}
        </span>
      </p>
      {data && meta && (
        <LatentExplorer
          codes={{ z: data.z, latentDim: data.latentDim }}
          labels={data.labels}
          classNames={meta.classNames}
          loss={data.loss}
          kl={data.kl}
          imageShape={meta.imageShape}
          image={image}
          reconstruction={reconstruction}
          decode={decode}
          caption={meta.caption}
        />
      )}
    </div>
  );
}
