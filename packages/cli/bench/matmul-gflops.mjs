// GFLOP/s of a plain tfjs matMul [128, 784] x [784, 400] (layer fc1's forward, the largest product of a training
// step) on one backend in this process, after a warm-up: the ceiling of what the kernels of a step can reach.
// Usage: node bench/matmul-gflops.mjs [wasm|cpu]   → one JSON line.
import { useBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';

const backend = process.argv[2] ?? 'wasm';
await useBackend(backend);
const a = tf.randomUniform([128, 784]);
const b = tf.randomUniform([784, 400]);
const run = (reps) => {
  for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
  tf.matMul(a, b).dataSync(); // wait for the backend
};
run(20);
const reps = 200;
const t0 = performance.now();
run(reps);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ backend, matMulGflops: (2 * 128 * 784 * 400 * (reps + 1)) / seconds / 1e9 })}\n`,
);
