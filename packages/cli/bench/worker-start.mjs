// How long `trainInWorkers` takes to start: 2 workers on the 60 000 MNIST training rows (wasm), from the call to
// its first step's end, then the call's whole time once it stops there; `rounds` calls in this process.
// Usage (after the build): node bench/worker-start.mjs [rounds]  → one line per call. To compare builds, run it in
// each build's packages/cli in turn (the 2026-12-05 figures in BENCHMARKS.md: d86ad6c against 64529d6, 4 × 3 calls).
import { useBackend } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { Vae } from '@latentlab/models';
import { trainInWorkers } from '@latentlab/models/node';

const rounds = Number(process.argv[2] ?? 3);
await useBackend('wasm');
const mnist = await loadMnist({ split: 'train' });
const data = createDataset({ name: 'mnist', x: mnist.images, shape: [60000, 784] });
const vae = new Vae({ seed: 0 });
for (let i = 0; i < rounds; i++) {
  let first = 0;
  const t0 = performance.now();
  await trainInWorkers(vae, data, {
    epochs: 1,
    batchSize: 128,
    workers: 2,
    signal: {
      get aborted() {
        return first > 0; // stop after the first step
      },
    },
    onBatchEnd: () => {
      first ||= performance.now();
    },
  });
  process.stdout.write(
    `first step after ${(first - t0).toFixed(0)} ms, whole ${(performance.now() - t0).toFixed(0)} ms\n`,
  );
}
vae.dispose();
