// One `--workers auto` run of what the CLI trains (one epoch of the reference VAE over the 60 000 MNIST training
// images, wasm), in this process: the whole call and the epoch's own time (ms), every gap of more than 60 ms between
// two steps ([before step, ms]: the first step; auto's switch to the workers), and what auto measured. One run per
// process, so that builds can alternate: node bench/auto-once.mjs LABEL in each build's packages/cli, in turn.
import { useBackend } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { createOptimizer, Vae } from '@latentlab/models';
import { trainWithAutoWorkers } from '../dist/auto-workers.js';

await useBackend('wasm');
const mnist = await loadMnist({ split: 'train' });
const data = createDataset({ name: 'mnist', x: mnist.images, shape: [60000, 784] });
const vae = new Vae({ seed: 0 });
const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
const t0 = performance.now();
let last = t0;
const gaps = [];
let choice = '';
const { result } = await trainWithAutoWorkers(
  vae,
  data,
  {
    epochs: 1,
    batchSize: 128,
    seed: 0,
    optimizer,
    onBatchEnd: (l) => {
      const n = performance.now();
      if (n - last > 60) gaps.push([l.step, Math.round(n - last)]);
      last = n;
    },
  },
  {
    onChoice: (c) => {
      choice = c.reason;
    },
  },
);
console.log(
  process.argv[2],
  Math.round(performance.now() - t0),
  Math.round(result.history[0].seconds * 1000),
  JSON.stringify(gaps),
  choice,
);
