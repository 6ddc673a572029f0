// GFLOP/s of a plain tfjs matMul [128, 784] x [784, 400] (layer fc1's forward, the largest product of a training
// step) on one backend in this process, after a warm-up, the fastest of 300 single products: the ceiling of what the kernels of a step can reach.
// Usage: node bench/matmul-gflops.mjs [wasm|cpu]   → one JSON line.
import { useBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';

const backend = process.argv[2] ?? 'wasm';
await useBackend(backend);
const a = tf.randomUniform([128, 784]);
const b = tf.randomUniform([784, 400]);
/** One product, read back (wasm and cpu run synchronously: the read adds no wait). */
const once = () => {
  const c = tf.matMul(a, b);
  c.dataSync();
  c.dispose();
};
for (let i = 0; i < 20; i++) once();
// The fastest of 300 single products: the kernel's speed while it has a core (the host is shared; a product
// takes a few ms, shorter than a time slice).
let seconds = Number.POSITIVE_INFINITY;
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  once();
  seconds = Math.min(seconds, (performance.now() - t0) / 1000);
}
process.stdout.write(`${JSON.stringify({ backend, matMulGflops: (2 * 128 * 784 * 400) / seconds / 1e9 })}\n`);
