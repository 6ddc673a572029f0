import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

// `models:webgpu` (headless Chromium, SwiftShader's WebGPU adapter on http://localhost) runs the WebGPU kernels'
// tests (src/**/*.webgpu.test.ts, that project only; vae-step.webgpu.test.ts is the training step's loss and gradient
// parity) and the parity and leak suites below. SwiftShader computes WebGPU on the CPU, too slowly for the suites that
// train to convergence or for hundreds of steps (measured there: vae.test.ts > 600 s, autoencoder.test.ts > 90 s per
// training test, training/train.test.ts ≈ 240 s, evaluation/vae-log-likelihood.test.ts's K = 1000 IWAE 110 s); they
// run on cpu, wasm and webgl.
const WEBGPU_SUITES = [
  'src/layers/*.test.ts', // MLP and conv layers against float64 and tf.conv2d, initialisers, parameter sets
  'src/ops/*.test.ts', // dense (+ReLU) forward and gradients (finite differences, autodiff), leaks
  'src/evaluation/sum-softplus.test.ts',
  'src/vae-seams.test.ts', // VAE forward: decodeLogits, logLikelihood, the training loss against float64; leaks
  'src/io/save-load.test.ts', // a VAE trained a few steps, saved and loaded: bit-identical weights and Adam state
  'src/io/weight-shapes.test.ts',
  'src/training/accumulator.test.ts',
];
// Code that reads tensors synchronously by design cannot run on webgpu: `dataSync()` returns zeros there and
// leaves the device lost for the tests after it. FusedAdam's `update: 'js'` path reads that way (fused-adam.test.ts,
// and optimizers.test.ts, which is not in the list above); on webgpu Adam is WebGpuAdam (ops/webgpu/adam.webgpu.test.ts).
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
