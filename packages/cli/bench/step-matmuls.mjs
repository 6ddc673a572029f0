#!/usr/bin/env node
// The matrix products of one training step of the reference VAE (784-400-20, batch 128), as Latentlab's ops run
// them on wasm (ops/dense-grad.ts: operands transposed explicitly, so every product has XNNPACK's plain layout; a
// large layer's forward product as (Wᵀ·xᵀ)ᵀ; bias gradients as 1ᵀ·dy), each timed alone in tfjs-wasm (one Node
// thread) and in PyTorch (1 thread, torch.mm of the same shapes: bench/step_matmuls.py), the fastest of REPS single
// products after a warm-up. As in training, a tfjs-wasm product gets a right operand it has not seen (a fresh
// copy, made outside the timing): XNNPACK packs that operand before multiplying and caches the packing per tensor,
// and in a training step every right operand is new (but ∂b's, which ∂W packed already). Their sum is the time a
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
/** Whether dense-grad.ts computes the layer's forward x·W as (Wᵀ·xᵀ)ᵀ while training (W larger than x and x·W). */
const transposedForward = (inUnits, outUnits) => inUnits * outUnits > B * (inUnits + outUnits);
/**
 * One product: tfjs-wasm's [m, k] × [k, n]; PyTorch's own (`torch`, the plain x·W where tfjs-wasm transposes);
 * `fresh`: whether its right operand is new to XNNPACK in a step (∂b's dy is not: ∂W packed the same tensor).
 */
const product = (what, [m, k, n], torch = [m, k, n], fresh = true) => ({ what, m, k, n, torch, fresh });
const products = [];
for (const [name, inUnits, outUnits, inputGradient] of layers) {
  if (transposedForward(inUnits, outUnits))
    products.push(product(`${name} forward (Wᵀ·xᵀ)ᵀ`, [outUnits, inUnits, B], [B, inUnits, outUnits]));
  else products.push(product(`${name} forward x·W`, [B, inUnits, outUnits]));
  products.push(product(`${name} ∂W = xᵀ·dy`, [inUnits, B, outUnits]));
  products.push(product(`${name} ∂b = 1ᵀ·dy`, [1, B, outUnits], undefined, false));
  if (inputGradient) products.push(product(`${name} ∂x = dy·Wᵀ`, transposeBProduct(B, outUnits, inUnits)));
}
// For comparison, not in the sums: each transposed forward product as plain x·W, with W packed anew as in a step.
const plainForward = layers
  .filter(([, inUnits, outUnits]) => transposedForward(inUnits, outUnits))
  .map(([name, inUnits, outUnits]) => product(`${name} forward x·W`, [B, inUnits, outUnits]));
// The explicit transposes: xᵀ for each ∂W (which a transposed forward product shares), Wᵀ and the result for each
// transposed forward product, and Wᵀ or dyᵀ for each ∂x.
const transposes = [
  ...layers.map(([name, inUnits]) => [`${name} xᵀ`, B, inUnits]),
  ...layers
    .filter(([, inUnits, outUnits]) => transposedForward(inUnits, outUnits))
    .flatMap(([name, inUnits, outUnits]) => [
      [`${name} Wᵀ (forward)`, inUnits, outUnits],
      [`${name} (Wᵀ·xᵀ)ᵀ`, outUnits, B],
    ]),
  ...layers
    .filter(([, , , inputGradient]) => inputGradient)
    .map(([name, inUnits, outUnits]) => {
      const [m] = transposeBProduct(B, outUnits, inUnits);
      return m === B ? [`${name} Wᵀ`, inUnits, outUnits] : [`${name} dyᵀ`, B, outUnits];
    }),
];

await useBackend('wasm');
/**
 * The fastest of REPS runs of `op` (which reads its result back: wasm computes synchronously), in ms, after a
 * warm-up. With `fresh`, the last operand is a new copy each time (copied outside the timing).
 */
const timed = (make, op, fresh = true) => {
  const operands = make();
  const last = operands.pop();
  const once = () => {
    const b = fresh ? tf.clone(last) : last; // a copy on wasm: a new tensor, whose packing XNNPACK has not cached
    const t0 = performance.now();
    const c = op(...operands, b);
    c.dataSync();
    const ms = performance.now() - t0;
    tf.dispose(fresh ? [c, b] : c);
    return ms;
  };
  for (let i = 0; i < 20; i++) once();
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPS; i++) ms = Math.min(ms, once());
  tf.dispose([...operands, last]);
  return ms;
};
const wasm = products.map(({ m, k, n, fresh }) =>
  timed(
    () => [tf.randomUniform([m, k]), tf.randomUniform([k, n])],
    (a, b) => tf.matMul(a, b),
    fresh,
  ),
);
const plainForwardMs = plainForward.map(({ m, k, n }) =>
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
  [path.join(here, 'step_matmuls.py'), JSON.stringify(products.map((p) => p.torch)), String(REPS)],
  { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } },
);
if (python.status !== 0) throw new Error(`step_matmuls.py failed: ${python.stderr.slice(-2000)}`);
const torch = JSON.parse(python.stdout.trim().split('\n').at(-1));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
process.stdout.write(
  `${JSON.stringify({
    products: products.map(({ fresh, ...p }, i) => ({ ...p, wasmMs: wasm[i], torchMs: torch.ms[i] })),
    plainForward: plainForward.map(({ what, m, k, n }, i) => ({ what, m, k, n, wasmMs: plainForwardMs[i] })),
    transposes: transposes.map(([what, r, c], i) => ({ what, shape: [r, c], wasmMs: transposeMs[i] })),
    wasmProductsMs: sum(wasm),
    wasmTransposesMs: sum(transposeMs),
    torchProductsMs: sum(torch.ms),
  })}\n`,
);
