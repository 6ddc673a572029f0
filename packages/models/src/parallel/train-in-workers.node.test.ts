// trainInWorkers runs its worker (bundled from these sources by the test setup, scripts/bundle-worker.mjs) in real Node worker threads, on the same backend
// as the test's project (cpu or wasm). The reference for every run is `train` on one thread with the same seed.
import { ValueError } from '@latentlab/core';
import { createDataset, type Dataset, datasetFromImages, subset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder } from '../autoencoder.js';
import { FusedAdam } from '../ops/fused-adam.js';
import type { EpochLog } from '../training/logs.js';
import { NonFiniteLossError } from '../training/non-finite-loss-error.js';
import type { TrainState } from '../training/train-state.js';
import { Vae } from '../vae.js';
import type { WorkerEpochReport } from './protocol.js';
import { trainInWorkers } from './train-in-workers.js';

let images: Dataset; // the first 300 MNIST training images: 9 batches of 32 and one of 12
let validation: Dataset;

beforeAll(async () => {
  const mnist = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const rows = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  images = subset(mnist, rows(0, 300));
  validation = subset(mnist, rows(300, 100));
});

const smallVae = (seed = 1) => new Vae({ hiddenUnits: [48], latentDim: 6, seed });

function weightsOf(model: Vae | Autoencoder): Record<string, Float32Array> {
  const w = model.getWeights();
  const out = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Float32Array.from(t.dataSync())]));
  tf.dispose(Object.values(w));
  return out;
}

function maxAbsDifference(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  let max = 0;
  for (const k of Object.keys(a))
    for (let i = 0; i < a[k]!.length; i++) max = Math.max(max, Math.abs(a[k]![i]! - b[k]![i]!));
  return max;
}

function expectSameHistory(got: EpochLog[], want: EpochLog[], rtol: number): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, e) => {
    const w = want[e]!;
    for (const [x, y] of [
      [g.loss, w.loss],
      [g.reconstruction, w.reconstruction],
      [g.kl ?? 0, w.kl ?? 0],
      [g.validation?.loss ?? 0, w.validation?.loss ?? 0],
    ] as const) {
      expect(Math.abs(x - y)).toBeLessThanOrEqual(rtol * Math.abs(y));
    }
  });
}

// Worker threads share the machine's cores with everything else running: a loaded machine may be several times
// slower than an idle one, so the time limit is generous (each test waits on the runs themselves, not on a clock).
describe('trainInWorkers', { timeout: 300_000 }, () => {
  it('makes the run train() makes: same losses, weights, noise position and Adam state (2 workers)', async () => {
    const options = { epochs: 2, batchSize: 32, seed: 4, validationData: validation };
    const one = smallVae();
    const reference = await one.fit(images, options);
    const two = smallVae();
    const before = tf.memory().numTensors;
    const batchLosses: number[] = [];
    const reports: WorkerEpochReport[][] = [];
    const result = await trainInWorkers(two, images, {
      ...options,
      workers: 2,
      onBatchEnd: (log) => void batchLosses.push(log.loss),
      onWorkerEpochEnd: (_, r) => void reports.push(r),
    });
    expect(result.stopReason).toBe('completed');
    expect(result.steps).toBe(20);
    expectSameHistory(result.history, reference.history, 1e-5);
    expect(maxAbsDifference(weightsOf(two), weightsOf(one))).toBeLessThan(1e-5);
    expect(two.noiseState).toEqual(one.noiseState); // ε drawn for whole batches, split by rows
    // No leaks: on the main thread only the optimizer's moments stay (as after fit); in the workers, the tensor
    // count is the same after every epoch.
    expect(tf.memory().numTensors - before).toBe(2 * two.trainableVariables.length);
    expect(reports).toHaveLength(2);
    for (const w of [0, 1]) expect(reports[1]![w]!.numTensors).toBe(reports[0]![w]!.numTensors);
    // Each worker updated its half of θ by one SIMD call on the shared WebAssembly memory (slice-adam.ts).
    expect(reports.flat().map((r) => r.adam)).toEqual(['simd', 'simd', 'simd', 'simd']);
    // Adam's state is the model's optimizer, as after fit.
    expect(two.optimizer?.iterations).toBe(20);
    const [a, b] = [await one.optimizer!.getWeights(), await two.optimizer!.getWeights()];
    const names = (m: Vae) => ['iter', ...['m', 'v'].flatMap((s) => m.trainableVariables.map((v) => `${v.name}/${s}`))];
    expect(a.map((w) => w.name)).toEqual(names(one));
    expect(b.map((w) => w.name)).toEqual(names(two));
    for (let i = 1; i < a.length; i++) {
      const [x, y] = [a[i]!.tensor.dataSync(), b[i]!.tensor.dataSync()];
      for (let j = 0; j < x.length; j++)
        expect(Math.abs(x[j]! - y[j]!)).toBeLessThanOrEqual(1e-6 + 1e-4 * Math.abs(x[j]!));
    }
    // onBatchEnd saw every step in order; the epoch means are the size-weighted means of the batches.
    expect(batchLosses).toHaveLength(20);
    const sizes = [...Array(9).fill(32), 12];
    const mean = sizes.reduce((s, n, i) => s + n * batchLosses[i]!, 0) / 300;
    expect(mean).toBeCloseTo(result.history[0]!.loss, 4);
    tf.dispose([a[0]!.tensor, b[0]!.tensor]); // the iteration counts getWeights made
    one.dispose();
    two.dispose();
  });

  it("splits batches smaller than the worker count (empty shards), trains autoencoders, and takes update 'js'", async () => {
    const data = subset(
      images,
      Int32Array.from({ length: 37 }, (_, i) => i),
    ); // last batch: 1 row for 3 workers
    // update 'js': FusedAdam's JavaScript loop, on the calling thread and in every worker.
    const optimizer = { name: 'adam', learningRate: 1e-3, update: 'js' } as const;
    const options = { epochs: 1, batchSize: 4, seed: 2, optimizer };
    const make = () => new Autoencoder({ inputShape: [784], hiddenUnits: [32], latentDim: 5, seed: 3 });
    const one = make();
    const reference = await one.fit(data, options);
    const three = make();
    const kinds: string[] = [];
    const result = await trainInWorkers(three, data, {
      ...options,
      workers: 3,
      onWorkerEpochEnd: (_, reports) => void kinds.push(...reports.map((r) => r.adam)),
    });
    expect(kinds).toEqual(['js', 'js', 'js']);
    expect(result.steps).toBe(10);
    expectSameHistory(result.history, reference.history, 1e-5);
    expect(maxAbsDifference(weightsOf(three), weightsOf(one))).toBeLessThan(1e-5);
    one.dispose();
    three.dispose();
  });

  it("keeps a VAE's noise in step when a worker's share of a batch is empty", async () => {
    // 37 rows in batches of 4: the last batch has 1 row, so workers 0 and 1 of 3 get none. They must still draw
    // that batch's ε (and drop it), or their noise runs one batch behind from the next epoch on.
    const data = subset(
      images,
      Int32Array.from({ length: 37 }, (_, i) => i),
    );
    const options = { epochs: 3, batchSize: 4, seed: 6 };
    const one = smallVae(9);
    const reference = await one.fit(data, options);
    const three = smallVae(9);
    const result = await trainInWorkers(three, data, { ...options, workers: 3 });
    expect(result.steps).toBe(30);
    expect(three.noiseState).toEqual(one.noiseState);
    expectSameHistory(result.history, reference.history, 1e-5);
    expect(maxAbsDifference(weightsOf(three), weightsOf(one))).toBeLessThan(1e-5);
    one.dispose();
    three.dispose();
  });

  it('follows a learning-rate schedule and early stopping (best weights restored) as train() does', async () => {
    const options = {
      epochs: 6,
      batchSize: 25,
      seed: 5,
      validationData: validation,
      learningRateSchedule: (step: number) => 2e-3 * 0.97 ** step,
      // No later epoch improves on the first by 1e9: stop after patience 2, back to epoch 0's weights.
      earlyStopping: { patience: 2, minDelta: 1e9 },
    };
    const one = smallVae(8);
    const reference = await one.fit(images, options);
    const two = smallVae(8);
    const result = await trainInWorkers(two, images, { ...options, workers: 2 });
    expect(result.stopReason).toBe('early-stopping');
    expect(reference.stopReason).toBe('early-stopping');
    expect(result.steps).toBe(reference.steps);
    expectSameHistory(result.history, reference.history, 1e-5);
    expect(result.history.map((h) => h.learningRate)).toEqual(reference.history.map((h) => h.learningRate));
    expect(maxAbsDifference(weightsOf(two), weightsOf(one))).toBeLessThan(1e-5);
    one.dispose();
    two.dispose();
  });

  it('resumes from an epoch-end state and a checkpointed optimizer like an uninterrupted run', async () => {
    const options = { batchSize: 50, seed: 7, optimizer: { name: 'adam' as const, learningRate: 3e-3 } };
    const whole = smallVae(5);
    const wholeRun = await trainInWorkers(whole, images, { ...options, epochs: 3, workers: 2 });
    const part = smallVae(5);
    let state: TrainState | null = null;
    await trainInWorkers(part, images, {
      ...options,
      epochs: 1,
      workers: 2,
      onEpochEnd: (_, s) => {
        state = s;
      },
    });
    // A fresh optimizer with the checkpointed state, as loadModel restores it.
    const optimizer = new FusedAdam({ learningRate: 3e-3 });
    await optimizer.setWeights(await part.optimizer!.getWeights());
    const resumed = await trainInWorkers(part, images, {
      ...options,
      epochs: 3,
      workers: 2,
      optimizer,
      initialState: state!,
    });
    expect(resumed.steps).toBe(wholeRun.steps);
    expectSameHistory(resumed.history, wholeRun.history, 1e-6);
    expect(maxAbsDifference(weightsOf(part), weightsOf(whole))).toBeLessThan(1e-6);
    optimizer.dispose();
    whole.dispose();
    part.dispose();
  });

  it('aborted mid-epoch, resumes from TrainResult.state inside the epoch like an uninterrupted run', async () => {
    // 150 steps per epoch: the workers do not wait for onBatchEnd, so the abort must land well inside the epoch.
    const options = { batchSize: 2, seed: 3, epochs: 2, workers: 2 };
    const whole = smallVae(6);
    const wholeRun = await trainInWorkers(whole, images, options);
    const part = smallVae(6);
    const controller = new AbortController();
    const stopped = await trainInWorkers(part, images, {
      ...options,
      signal: controller.signal,
      onBatchEnd: (log) => {
        if (log.epoch === 0 && log.batch === 5) controller.abort();
      },
    });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.state.epoch).toBe(0);
    expect(stopped.state.batch).toBeGreaterThanOrEqual(6); // the workers do not wait for onBatchEnd
    expect(stopped.state.batch).toBeLessThan(150);
    // The epoch's clock goes on from the seconds before the stop (planted large here: the log must count them).
    expect(stopped.state.partial!.seconds).toBeGreaterThan(0);
    const initialState = { ...stopped.state, partial: { ...stopped.state.partial!, seconds: 1000 } };
    const t0 = performance.now();
    const resumed = await trainInWorkers(part, images, { ...options, optimizer: part.optimizer!, initialState });
    const elapsed = (performance.now() - t0) / 1000;
    expect(resumed.history[0]!.seconds).toBeGreaterThanOrEqual(1000);
    expect(resumed.history[0]!.seconds).toBeLessThanOrEqual(1000 + elapsed);
    expect(resumed.history[0]!.samplesPerSecond).toBeCloseTo(images.shape[0]! / resumed.history[0]!.seconds, 9);
    expect(resumed.steps).toBe(wholeRun.steps);
    expectSameHistory(resumed.history, wholeRun.history, 1e-6);
    expect(maxAbsDifference(weightsOf(part), weightsOf(whole))).toBeLessThan(1e-6);
    whole.dispose();
    part.dispose();
  });

  it('stops on an AbortSignal before the next step and keeps the weights trained so far', async () => {
    const controller = new AbortController();
    const vae = smallVae();
    const result = await trainInWorkers(vae, images, {
      epochs: 50,
      batchSize: 10,
      workers: 2,
      signal: controller.signal,
      onBatchEnd: (log) => {
        if (log.step === 3) controller.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.steps).toBeGreaterThan(3);
    expect(result.steps).toBeLessThan(50 * 30);
    for (const values of Object.values(weightsOf(vae))) expect(values.every(Number.isFinite)).toBe(true);
    vae.dispose();
  });

  it('stops at a non-finite loss with the weights that step started from, as train() does', async () => {
    const x = new Float32Array(300 * 8).fill(0.5);
    x.fill(1e30, 2 * 32 * 8, 3 * 32 * 8); // batch 2 (no shuffle): its squared error overflows to ∞
    const poisoned = createDataset({ name: 'poisoned', x, shape: [300, 8] });
    const make = () => new Autoencoder({ architecture: 'linear', inputShape: [8], latentDim: 2, seed: 1 });
    const m = make();
    const before = tf.memory().numTensors;
    const error = await trainInWorkers(m, poisoned, { epochs: 1, batchSize: 32, shuffle: false, workers: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).step).toBe(2);
    expect((error as NonFiniteLossError).found).toBe('Infinity');
    expect(m.optimizer).toBeNull(); // the failed run's optimizer is freed, as with fit
    expect(tf.memory().numTensors).toBe(before);
    // The weights after steps 0 and 1: one epoch of train() over the first two batches only.
    const clean = make();
    await clean.fit(createDataset({ name: 'clean', x: x.slice(0, 64 * 8), shape: [64, 8] }), {
      epochs: 1,
      batchSize: 32,
      shuffle: false,
    });
    expect(maxAbsDifference(weightsOf(m), weightsOf(clean))).toBeLessThan(1e-6);
    m.dispose();
    clean.dispose();
  });

  it('rejects what it cannot split, with typed errors, before starting any worker', async () => {
    const vae = smallVae();
    const fb = new Vae({ hiddenUnits: [8], latentDim: 2, freeBits: 0.5 });
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => trainInWorkers(fb, images), /free bits couple the rows of a batch/],
      [() => trainInWorkers(vae, images, { optimizer: { name: 'sgd', learningRate: 0.1 } }), /Adam only/],
      [() => trainInWorkers(vae, images, { workers: 0 }), /workers/],
      [() => trainInWorkers(vae, images, { optimizer: { name: 'adam', learningRate: Number.NaN } }), /learningRate/],
      [() => trainInWorkers(vae, createDataset({ name: 'x', x: new Uint8Array(30), shape: [3, 10] })), /input/],
    ];
    for (const [run, message] of cases) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(message);
      expect(String(error)).toMatch(/trainInWorkers/);
    }
    expect((await cases[0]![0]().catch((e: unknown) => e)) instanceof ValueError).toBe(true);
    fb.dispose();
    vae.dispose();
  });
});
