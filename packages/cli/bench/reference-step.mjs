// The set-up the per-step benches share (step-overheads.mjs, step-cpu-profile.mjs): the wasm backend, the first
// `steps` batches of 128 MNIST training images, and the reference VAE (784-400-20) with the CLI's optimizer
// (FusedAdam with its defaults: on wasm one SIMD kernel per variable).
import { useBackend } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { createOptimizer, DEFAULT_OPTIMIZER_CONFIG, Vae } from '@latentlab/models';

/** { data, vae, optimizer, steps } on the wasm backend, nothing trained yet. */
export async function referenceStep(steps = 40) {
  await useBackend('wasm');
  const mnist = await loadMnist({ split: 'train' });
  const data = createDataset({
    name: 'mnist',
    x: mnist.images.subarray(0, steps * 128 * 784),
    shape: [steps * 128, 784],
  });
  return { data, vae: new Vae({ seed: 0 }), optimizer: createOptimizer(DEFAULT_OPTIMIZER_CONFIG), steps };
}
