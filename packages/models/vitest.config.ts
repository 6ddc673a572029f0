import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

// `models:webgpu` (headless Chromium, SwiftShader's WebGPU adapter on http://localhost) runs the WebGPU kernels'
// tests (src/**/*.webgpu.test.ts, that project only) and the parity and leak suites below: SwiftShader computes WebGPU
// on the CPU, too slowly for the whole suite in the test command (vae.test.ts's training-to-convergence tests alone ran
// > 600 s there, vae-log-likelihood.test.ts's K = 1000 IWAE 110 s); the rest runs on cpu, wasm and webgl.
const WEBGPU_SUITES = [
  'src/layers/*.test.ts', // MLP and conv layers, initialisers, parameter sets
  'src/ops/*.test.ts', // dense (+ReLU) forward and gradients, Adam's update kernels
  'src/evaluation/sum-softplus.test.ts',
  'src/vae-seams.test.ts', // VAE forward: decodeLogits, logLikelihood, the training loss against float64
  'src/autoencoder.test.ts',
  'src/optimizers.test.ts',
  'src/training/train.test.ts', // trainer steps: determinism, leaks over 300 steps, NaN guard, early stopping
  'src/training/accumulator.test.ts',
  'src/io/save-load.test.ts', // save/load round trips, bit-identical
  'src/io/weight-shapes.test.ts',
];
// Code that reads tensors synchronously by design cannot run on webgpu (`dataSync()` returns zeros there): FusedAdam's
// `update: 'js'` path (on webgpu Adam is WebGpuAdam, tested in src/ops/webgpu/adam.webgpu.test.ts).
const NOT_ON_WEBGPU = ['src/ops/fused-adam.test.ts'];

export default defineConfig({
  test: {
    ...packageTestConfig({
      name: 'models',
      backends: ['cpu', 'wasm', 'webgl', 'webgpu'],
      webgpu: { include: WEBGPU_SUITES, exclude: NOT_ON_WEBGPU },
    }),
    // trainInWorkers starts its workers from a bundle of the sources under test (no build needed, never stale).
    globalSetup: ['./scripts/bundle-worker.mjs'],
  },
});
