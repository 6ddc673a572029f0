// Turns whatever a request threw into the notice the page shows: a kind (for its label) and a message.
import { BackendError } from '@latentlab/core';
import { CsvFormatError, DataFormatError, DatasetError } from '@latentlab/data';
import { NonFiniteLossError } from '@latentlab/models';
import { getBackend } from '@tensorflow/tfjs-core';
import type { ErrorKind } from '../protocol.js';
import { ModelFileError } from './persistence.js';

/**
 * How running out of memory shows up, by backend: WebGL loses its context or fails a texture allocation; the
 * wasm backend's heap cannot grow (its typed-array view of the new size is refused, or a failed malloc turns into
 * an out-of-bounds access); the cpu backend and plain JavaScript fail an ArrayBuffer allocation.
 */
const OUT_OF_MEMORY =
  /out of memory|OOM|failed to allocate|allocation failed|Array buffer allocation|CONTEXT_LOST|Invalid typed array length|memory access out of bounds|Cannot enlarge memory|Maximum memory size|WebAssembly\.Memory/i;

/** The notice for an error thrown by a worker request. */
export function classify(error: unknown): { kind: ErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CsvFormatError) return { kind: 'csv', message: `The CSV file could not be read: ${message}` };
  if (error instanceof BackendError) return { kind: 'backend', message: `Backend unavailable: ${message}` };
  if (error instanceof ModelFileError) return { kind: 'model-file', message };
  if (OUT_OF_MEMORY.test(message)) {
    return {
      kind: 'memory',
      message: `Out of memory on ${getBackend()} (${message}). Try a smaller batch or model, or another backend; reload the page if training does not start again.`,
    };
  }
  if (error instanceof DataFormatError || error instanceof DatasetError)
    return { kind: 'data', message: `The data could not be loaded: ${message}` };
  if (error instanceof NonFiniteLossError)
    return { kind: 'training', message: `Training stopped: ${message}. Lower the learning rate.` };
  return { kind: 'other', message };
}

/**
 * The notice for the current data's training rows that did not load: a failed download (fetch's bare TypeError,
 * "Failed to fetch") is a data problem there, and says which data; anything else as {@link classify} says.
 */
export function classifyTrainingFailure(error: unknown): { kind: ErrorKind; message: string } {
  const c = classify(error);
  return c.kind === 'other' ? { kind: 'data', message: `The training rows could not be loaded: ${c.message}` } : c;
}
