// trainInWorkers on 2 threads it starts itself, on 2 TrainingWorkers loaded beforehand (all at once), and on 2
// loaded one after another (sequential), in turn, 3 rounds, on the first 30 000 MNIST training images (wasm): the
// epoch's rate (samples/s) and the whole call (ms). Threads started beforehand must train as fast as the run's own.
// Usage (after the build): node bench/prestarted-threads.mjs
import { useBackend } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { createOptimizer, Vae } from '@latentlab/models';
import { TrainingWorkers, trainInWorkers } from '@latentlab/models/node';

await useBackend('wasm');
const mnist = await loadMnist({ split: 'train' });
const data = createDataset({ name: 'mnist', x: mnist.images.subarray(0, 30000 * 784), shape: [30000, 784] });
for (let r = 0; r < 3; r++)
  for (const how of ['count', 'prestarted', 'sequential']) {
    const vae = new Vae({ seed: 0 });
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    let workers = 2;
    if (how !== 'count') {
      workers = new TrainingWorkers({ workers: 2, sequential: how === 'sequential' });
      await workers.loaded();
    }
    const t0 = performance.now();
    const res = await trainInWorkers(vae, data, { epochs: 1, batchSize: 128, optimizer, workers });
    console.log(how, Math.round(res.history[0].samplesPerSecond), Math.round(performance.now() - t0));
    vae.dispose();
    optimizer.dispose();
  }
