#!/usr/bin/env node
// The matrix products of one training step of the reference VAE (784-400-20, batch 128), as Latentlab's ops run
// them on wasm (ops/dense-grad.ts: operands transposed explicitly, so every product has XNNPACK's plain layout; bias
// gradients as 1ᵀ·dy), each timed alone in tfjs-wasm (one Node thread) and in PyTorch (1 thread, torch.mm of the
// same shapes: bench/step_matmuls.py), the fastest of REPS single products after a warm-up. Their sum is the time a
// step cannot go below with these kernels, whatever else is cut; set against PyTorch's whole step, it bounds the
// ratio the CLI can reach on one thread. Also the explicit transposes (tfjs-wasm), timed the same way.
// Usage: node bench/step-matmuls.mjs  → one JSON line.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPS = 200;
const B = 128;
// [what, m, k, n]: an [m, k] × [k, n] product. Layers fc1 784→400, mu and logVar 400→20, fc3 20→400, fc4 400→784.
const layers = [
  ['fc1', 784, 400, false], // the input needs no gradient (inputGradient: false)
  ['mu', 400, 20, true],
  ['logVar', 400, 20, true],
  ['fc3', 20, 400, true],
  ['fc4', 400, 784, true],
];
/** a·bᵀ as dense-grad.ts's matMulTransposeB computes it for a [m, k], b [n, k]: the product it runs. */
const transposeBProduct = (m, k, n) => (m * k + m * n < n * k ? [n, k, m] : [m, k, n]);
const products = [];
for (const [name, inUnits, outUnits, inputGradient] of layers) {
  products.push([`${name} forward x·W`, B, inUnits, outUnits]);
  products.push([`${name} ∂W = xᵀ·dy`, inUnits, B, outUnits]);
  products.push([`${name} ∂b = 1ᵀ·dy`, 1, B, outUnits]);
  if (inputGradient) products.push([`${name} ∂x = dy·Wᵀ`, ...transposeBProduct(B, outUnits, inUnits)]);
}
// The explicit transposes of the backward pass: xᵀ for each ∂W, and Wᵀ or dyᵀ for each ∂x.
const transposes = [
  ...layers.map(([name, inUnits]) => [`${name} xᵀ`, B, inUnits]),
  ...layers
    .filter(([, , , inputGradient]) => inputGradient)
    .map(([name, inUnits, outUnits]) => {
      const [m] = transposeBProduct(B, outUnits, inUnits);
      return m === B ? [`${name} Wᵀ`, inUnits, outUnits] : [`${name} dyᵀ`, B, outUnits];
    }),
];

/** The fastest of REPS runs of `fn` (which reads its result back: wasm computes synchronously), in ms. */
function fastest(fn) {
  for (let i = 0; i < 20; i++) fn();
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

await useBackend('wasm');
const timed = (make, op) => {
  const operands = make();
  const ms = fastest(() => {
    const c = op(...operands);
    c.dataSync();
    c.dispose();
  });
  tf.dispose(operands);
  return ms;
};
const wasm = products.map(([, m, k, n]) =>
  timed(
    () => [tf.randomUniform([m, k]), tf.randomUniform([k, n])],
    (a, b) => tf.matMul(a, b),
  ),
);
const transposeMs = transposes.map(([, r, c]) =>
  timed(
    () => [tf.randomUniform([r, c])],
    (a) => tf.transpose(a),
  ),
);

const python = spawnSync(
  '/usr/bin/python3',
  [path.join(here, 'step_matmuls.py'), JSON.stringify(products.map(([, m, k, n]) => [m, k, n])), String(REPS)],
  { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } },
);
if (python.status !== 0) throw new Error(`step_matmuls.py failed: ${python.stderr.slice(-2000)}`);
const torch = JSON.parse(python.stdout.trim().split('\n').at(-1));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
process.stdout.write(
  `${JSON.stringify({
    products: products.map(([what, m, k, n], i) => ({ what, m, k, n, wasmMs: wasm[i], torchMs: torch.ms[i] })),
    transposes: transposes.map(([what, r, c], i) => ({ what, shape: [r, c], wasmMs: transposeMs[i] })),
    wasmProductsMs: sum(wasm),
    wasmTransposesMs: sum(transposeMs),
    torchProductsMs: sum(torch.ms),
  })}\n`,
);
