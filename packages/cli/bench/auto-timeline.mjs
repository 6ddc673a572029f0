// `--workers auto` against `--workers 2` and `--workers 1` in one process, in turn, on what the CLI trains (one
// epoch of the reference VAE over the 60 000 MNIST training images, wasm): each run's whole time, its epoch's own
// time, and the gaps between two steps longer than 60 ms with where they fell (the threads starting; for `auto` in
// builds up to 517b931, its switch from `fit` to the workers), for where `auto`'s time goes beside the fixed counts.
// Usage (after the build): node bench/auto-timeline.mjs [rounds] → one JSON line.
import { useBackend } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { createOptimizer, Vae } from '@latentlab/models';
import { trainInWorkers } from '@latentlab/models/node';
import { trainWithAutoWorkers } from '../dist/auto-workers.js';

const rounds = Number(process.argv[2] ?? 2);
await useBackend('wasm');
const mnist = await loadMnist({ split: 'train' });
const data = createDataset({ name: 'mnist', x: mnist.images, shape: [60000, 784] });

/** One epoch with `workers` (1, 2 or 'auto'), as the CLI trains it: { ms, epochMs, gaps, choice }. */
async function run(workers) {
  const vae = new Vae({ seed: 0 });
  const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
  const t0 = performance.now();
  let last = t0;
  const gaps = [];
  const onBatchEnd = (log) => {
    const now = performance.now();
    if (now - last > 60) gaps.push({ beforeStep: log.step, ms: Math.round(now - last), at: Math.round(now - t0) });
    last = now;
  };
  const options = { epochs: 1, batchSize: 128, seed: 0, optimizer, onBatchEnd };
  let choice = null;
  const result =
    workers === 'auto'
      ? (
          await trainWithAutoWorkers(vae, data, options, {
            onChoice: (c) => {
              choice = c.reason;
            },
          })
        ).result
      : workers > 1
        ? await trainInWorkers(vae, data, { ...options, workers })
        : await vae.fit(data, options);
  const ms = performance.now() - t0;
  vae.dispose();
  optimizer.dispose();
  return { workers, ms: Math.round(ms), epochMs: Math.round(result.history[0].seconds * 1000), gaps, choice };
}

const runs = [];
for (let round = 0; round < rounds; round++) for (const w of ['auto', 2, 1]) runs.push(await run(w));
process.stdout.write(`${JSON.stringify({ runs })}\n`);
