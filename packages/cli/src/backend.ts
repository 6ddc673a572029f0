import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './errors.js';
import { choiceFlag } from './flags.js';

/** The TensorFlow.js backends the CLI ships with (both are dependencies of `@latentlab/cli`). */
export const BACKENDS = ['cpu', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Selects `--backend` (default wasm), loading its package on first use. Only the chosen backend's code is
 * imported, so `--backend cpu` never loads the wasm binary.
 */
export async function useBackend(flag: string | boolean | undefined): Promise<BackendName> {
  const backend = choiceFlag('backend', flag, BACKENDS, 'wasm');
  if (tf.getBackend() === backend) return backend;
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(backend))) throw new UsageError('--backend', 'a backend that initialises', backend);
  await tf.ready();
  return backend;
}
