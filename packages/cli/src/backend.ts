import { useBackend as readyBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { choiceFlag } from './flags.js';

/** The TensorFlow.js backends the CLI ships with (both are dependencies of `@latentlab/cli`). */
export const BACKENDS = ['cpu', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Selects `--backend` (default wasm) through core's `useBackend`, which loads the backend's package on first use
 * (only the chosen one: `--backend cpu` never loads the wasm binary) and names the package to install when it
 * is missing (a `BackendError`, exit code 1).
 */
export async function useBackend(flag: string | boolean | undefined): Promise<BackendName> {
  const backend = choiceFlag('backend', flag, BACKENDS, 'wasm');
  if (tf.getBackend() !== backend) await readyBackend(backend);
  return backend;
}
