import { useBackend as readyBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { choiceFlag } from './flags.js';

/**
 * The TensorFlow.js backends of `--backend`: cpu and wasm ship with the CLI (dependencies of `@latentlab/cli`);
 * webgpu is optional, for machines with a GPU: it needs `@tensorflow/tfjs-backend-webgpu` and Dawn's Node bindings
 * (`npm install webgpu`), optional peer dependencies, and fails with a `BackendError` naming what is missing or
 * saying that Dawn found no GPU adapter.
 */
export const BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
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
