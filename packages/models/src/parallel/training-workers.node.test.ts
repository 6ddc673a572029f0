// Threads started before their run (TrainingWorkers): real Node worker threads running the worker bundled from
// these sources (scripts/bundle-worker.mjs), on the test project's backend (cpu or wasm). The reference for every
// run is `fit` on one thread with the same seed.
import { ValueError } from '@latentlab/core';
import { type Dataset, datasetFromImages, subset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vae } from '../vae.js';
import { CTRL } from './protocol.js';
import { SharedState } from './shared-state.js';
import { trainInWorkers } from './train-in-workers.js';
import { TrainingWorkers } from './training-workers.js';
import { WorkerPool } from './worker-pool.js';

let images: Dataset; // the first 256 MNIST training images

beforeAll(async () => {
  const mnist = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  images = subset(
    mnist,
    Int32Array.from({ length: 256 }, (_, i) => i),
  );
});

const smallVae = () => new Vae({ hiddenUnits: [32], latentDim: 4, seed: 2 });

/** max |a − b| over every weight of two models. */
function weightDistance(a: Vae, b: Vae): number {
  const [wa, wb] = [a.getWeights(), b.getWeights()];
  let max = 0;
  for (const name of Object.keys(wa)) {
    const [x, y] = [wa[name]!.dataSync(), wb[name]!.dataSync()];
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
  }
  tf.dispose([...Object.values(wa), ...Object.values(wb)]);
  return max;
}

describe('TrainingWorkers', { timeout: 300_000 }, () => {
  it('load before the run, then serve one run: the one fit makes', async () => {
    const threads = new TrainingWorkers({ workers: 2 });
    expect([threads.workers, threads.backend, threads.isUsed]).toEqual([2, tf.getBackend(), false]);
    await threads.loaded();
    expect(threads.isLoaded).toBe(true);
    const options = { epochs: 2, batchSize: 32, seed: 3 };
    const reference = smallVae();
    const want = await reference.fit(images, options);
    const before = tf.memory().numTensors;
    const vae = smallVae();
    const got = await trainInWorkers(vae, images, { ...options, workers: threads });
    expect(threads.isUsed).toBe(true);
    expect(got.steps).toBe(16);
    for (const [e, log] of got.history.entries()) {
      expect(Math.abs(log.loss - want.history[e]!.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(want.history[e]!.loss));
    }
    expect(weightDistance(vae, reference)).toBeLessThan(1e-5);
    // One run only: a second is refused before it starts anything, and close() has nothing left to end.
    const again = await trainInWorkers(vae, images, { ...options, workers: threads }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ValueError);
    expect(String(again)).toMatch(/worker threads serve one run.*threads an earlier run took/);
    await threads.close();
    vae.dispose(); // with the optimizer the run made
    expect(tf.memory().numTensors).toBe(before);
    reference.dispose();
  });

  it('let the run change how many of them compute, step by step, and still make the run fit makes', async () => {
    // 3 threads, 128 steps (4 epochs of 32): 1 computes from step 0, 3 from a step after step 5's log, 2 from a step
    // after step 40's. Each log says which count computed its step; the counts change only between steps. (The
    // workers may run ahead of the logs, on a loaded machine by tens of steps: 128 leave room before the run ends.)
    const threads = new TrainingWorkers({ workers: 3 });
    expect(threads.computing).toBe(3);
    threads.computing = 1;
    for (const bad of [0, 4, 1.5]) expect(() => (threads.computing = bad)).toThrow(ValueError);
    expect(threads.computing).toBe(1);
    const options = { epochs: 4, batchSize: 8, seed: 5 };
    const reference = smallVae();
    const want = await reference.fit(images, options);
    const vae = smallVae();
    const counts: number[] = [];
    const got = await trainInWorkers(vae, images, {
      ...options,
      workers: threads,
      onBatchEnd: (log) => {
        counts.push(log.workers);
        if (log.step === 5) threads.computing = 3;
        if (log.step === 40) threads.computing = 2;
      },
    });
    expect(got.steps).toBe(128);
    expect(counts).toHaveLength(128);
    expect(counts[0]).toBe(1);
    expect(counts.at(-1)).toBe(2);
    // 1, then 3, then 2: each change once, after the step whose log asked for it (the workers may be a few steps
    // ahead of the logs).
    const runs = counts.filter((c, i) => i === 0 || c !== counts[i - 1]);
    expect(runs).toEqual([1, 3, 2]);
    expect(counts.indexOf(3)).toBeGreaterThan(5);
    expect(counts.indexOf(2)).toBeGreaterThan(40);
    for (const [e, log] of got.history.entries()) {
      expect(Math.abs(log.loss - want.history[e]!.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(want.history[e]!.loss));
    }
    expect(weightDistance(vae, reference)).toBeLessThan(1e-5);
    expect(vae.noiseState).toEqual(reference.noiseState); // the threads that wait draw their noise too
    vae.dispose();
    reference.dispose();
  });

  it('load one after another with sequential, and a run that takes them early starts the rest', async () => {
    const started: unknown[] = [];
    const count = (worker: unknown) => started.push(worker);
    process.on('worker', count); // Node's event for every thread it starts (emitted on a later tick)
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const one = new TrainingWorkers({ workers: 2, sequential: true });
      await tick(); // far less than a thread takes to load
      expect(started).toHaveLength(1);
      await one.loaded();
      expect(started).toHaveLength(2); // the second started once the first had loaded
      await one.close();
      const all = new TrainingWorkers({ workers: 2 });
      await tick();
      expect(started).toHaveLength(4);
      await all.close();
      // Taken before the first has loaded: the run starts the other two and trains on all three.
      const early = new TrainingWorkers({ workers: 3, sequential: true });
      await tick();
      expect(started).toHaveLength(5);
      const options = { epochs: 1, batchSize: 32, seed: 1 };
      const reference = smallVae();
      const want = await reference.fit(images, options);
      const vae = smallVae();
      const got = await trainInWorkers(vae, images, { ...options, workers: early });
      expect(started).toHaveLength(7);
      expect(Math.abs(got.history[0]!.loss - want.history[0]!.loss)).toBeLessThanOrEqual(1e-5 * want.history[0]!.loss);
      vae.dispose();
      reference.dispose();
    } finally {
      process.off('worker', count);
    }
  });

  it('are ended by a run that refuses its options, and by close() when no run took them', async () => {
    const other = tf.getBackend() === 'cpu' ? 'wasm' : 'cpu';
    const refused = new TrainingWorkers({ workers: 1 });
    const vae = smallVae();
    const error = await trainInWorkers(vae, images, { workers: refused, backend: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(String(error)).toMatch(new RegExp(`another backend.*'${tf.getBackend()}' \\(theirs\\).*'${other}'`));
    expect(refused.isUsed).toBe(true); // taken, and ended, by the run that refused them
    const unused = new TrainingWorkers({ workers: 2 });
    await unused.close();
    expect(unused.isUsed).toBe(true);
    const closed = await trainInWorkers(vae, images, { workers: unused }).catch((e: unknown) => e);
    expect(String(closed)).toMatch(/worker threads serve one run.*closed threads/);
    for (const [options, message] of [
      [{ workers: 0 }, /workers/],
      [{ backend: 'webgl' as 'cpu' }, /backend/],
    ] as const) {
      expect(() => new TrainingWorkers(options)).toThrow(ValueError);
      expect(() => new TrainingWorkers(options)).toThrow(message);
    }
    vae.dispose();
  });

  it('hold a resumed run at its first epoch until that epoch is let go', async () => {
    // A run resumed at epoch 2: its workers wait while the go cell holds 2. Fresh shared memory holds 0, so without
    // this they would start before the calling thread wrote the epoch's learning rates and rows.
    const vae = smallVae();
    const shared = (await SharedState.create(vae.trainableVariables, 1, 8, null)).arrays;
    const pool = new WorkerPool('trainInWorkers', 1, tf.getBackend() as 'cpu' | 'wasm');
    const x = new Uint8Array(new SharedArrayBuffer(256 * 784));
    pool.run(
      {
        workers: 1,
        model: { kind: 'Vae', config: structuredClone(vae.config) },
        trainNoise: vae.noiseState.train,
        dataset: { name: 'rows', shape: [256, 784], x },
        transform: {},
        epochs: 3,
        batchSize: 32,
        shuffle: false,
        seed: 0,
        startEpoch: 2,
        startBatch: 0,
        startStep: 16,
        startIterations: 16,
        adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, update: 'auto' },
        shared,
      },
      shared.control,
    );
    expect(Atomics.load(shared.control, CTRL.epochGo)).toBe(2);
    await pool.ready();
    pool.startEpoch(2);
    const first = await pool.next();
    expect(first).toMatchObject({ type: 'batch', epoch: 2, batch: 0, step: 16 });
    await pool.close();
    vae.dispose();
  });
});
