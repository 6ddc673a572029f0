import { ShapeError, ValueError } from '@latentlab/core';
import { createDataset, noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from '../autoencoder.js';
import type { BatchLog } from './logs.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { DEFAULT_TRAIN_OPTIONS } from './options.js';
import { train } from './train.js';

const { dataset } = noisyLinearSubspace({ n: 256, dim: 8, rank: 2, noise: 0.05, seed: 5 });
const validation = noisyLinearSubspace({ n: 64, dim: 8, rank: 2, noise: 0.05, seed: 6 }).dataset;
const model = (seed = 0) => new Autoencoder({ architecture: 'linear', inputShape: [8], latentDim: 2, seed });

/** Every weight's values as plain arrays, by name. */
async function snapshot(m: Autoencoder): Promise<Record<string, number[]>> {
  const w = m.getWeights();
  const out = Object.fromEntries(
    await Promise.all(Object.entries(w).map(async ([k, t]) => [k, Array.from(await t.data())] as const)),
  );
  tf.dispose(w);
  return out;
}

describe('train', () => {
  it('has frozen defaults: Adam 1e-3, 10 epochs of 128', () => {
    expect(Object.isFrozen(DEFAULT_TRAIN_OPTIONS)).toBe(true);
    expect(DEFAULT_TRAIN_OPTIONS).toMatchObject({
      epochs: 10,
      batchSize: 128,
      shuffle: true,
      optimizer: { name: 'adam', learningRate: 1e-3 },
    });
  });

  it('rejects bad configuration with a typed error before any step', async () => {
    const m = model();
    const before = await snapshot(m);
    const tensors = tf.memory().numTensors;
    const cases: [Parameters<Autoencoder['fit']>[1], RegExp][] = [
      [
        { optimizer: { name: 'adam', learningRate: Number.NaN } },
        /createOptimizer: learningRate is out of range: expected a finite number > 0, found NaN/,
      ],
      [{ epochs: 0 }, /Autoencoder\.fit: epochs is out of range: expected an integer ≥ 1, found 0/],
      [{ batchSize: 1.5 }, /batchSize is out of range/],
      [
        { learningRateSchedule: () => Number.NaN },
        /Autoencoder\.fit: learning rate \(from the schedule\) is out of range/,
      ],
      [{ earlyStopping: { patience: 0 } }, /earlyStopping\.patience/],
      [{ optimizer: { name: 'lion', learningRate: 0.1 } as never }, /unknown optimizer/],
    ];
    for (const [options, message] of cases) {
      await expect(m.fit(dataset, options)).rejects.toThrow(ValueError);
      await expect(m.fit(dataset, options)).rejects.toThrow(message);
    }
    const wrong = createDataset({ name: 'wrong', x: new Float32Array(4 * 9), shape: [4, 9] });
    await expect(m.fit(wrong)).rejects.toThrow(ShapeError);
    await expect(m.fit(wrong)).rejects.toThrow(
      /Autoencoder\.fit: data does not fit the model's input: expected \[n ≥ 1, \.\.\.\] with 8 features per example, found \[4, 9\]/,
    );
    await expect(m.fit(dataset, { validationData: wrong })).rejects.toThrow(/validationData does not fit/);
    expect(await snapshot(m)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(m.optimizer).toBeNull();
    m.dispose();
  });

  it('reports every batch and epoch through the callbacks', async () => {
    const m = model();
    const batches: BatchLog[] = [];
    const epochs: number[] = [];
    const result = await m.fit(dataset, {
      epochs: 3,
      batchSize: 100, // 256 examples → batches of 100, 100, 56
      validationData: validation,
      onBatchEnd: (log) => {
        batches.push(log);
      },
      onEpochEnd: (log) => {
        epochs.push(log.epoch);
      },
    });
    expect(result.stopReason).toBe('completed');
    expect(result.steps).toBe(9);
    expect(epochs).toEqual([0, 1, 2]);
    expect(batches.map((b) => [b.epoch, b.batch, b.step])).toEqual(
      [0, 1, 2].flatMap((e) => [0, 1, 2].map((b) => [e, b, 3 * e + b])),
    );
    expect(batches.at(-1)!.progress).toBe(1);
    expect(batches.every((b) => b.batches === 3 && b.kl === null && b.learningRate === 1e-3)).toBe(true);
    // The epoch loss is the batch losses weighted by batch size.
    const e0 = batches.slice(0, 3);
    expect(result.history[0]!.loss).toBeCloseTo((100 * e0[0]!.loss + 100 * e0[1]!.loss + 56 * e0[2]!.loss) / 256, 5);
    expect(
      result.history.every((h) => h.validation !== null && h.validation.kl === null && h.samplesPerSecond > 0),
    ).toBe(true);
    m.dispose();
  });

  it('is deterministic: the same seeds give bit-identical weights after a few steps', async () => {
    const run = async () => {
      const m = model(4);
      await m.fit(dataset, { epochs: 2, batchSize: 32, seed: 7 });
      const w = await snapshot(m);
      m.dispose();
      return w;
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    const m = model(4);
    await m.fit(dataset, { epochs: 2, batchSize: 32, seed: 8 }); // another shuffle
    expect(await snapshot(m)).not.toEqual(a);
    m.dispose();
  });

  it('keeps the tensor count constant over 300 steps, and dispose() returns it to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const m = model();
    const counts: number[] = [];
    // 256 examples in batches of 32 = 8 steps per epoch; 38 epochs = 304 steps, with validation every epoch and
    // a learning-rate schedule (which rebuilds no tensor for Adam).
    const { steps } = await m.fit(dataset, {
      epochs: 38,
      batchSize: 32,
      validationData: validation,
      learningRateSchedule: (step) => 1e-3 / (1 + step / 100),
      onBatchEnd: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(steps).toBe(304);
    // After the first step Adam has made its moment variables; from then on nothing may grow.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts.at(-1)).toBe(counts[1]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('NaN guard: an absurd learning rate stops training with a typed error and restores the last good weights', async () => {
    const m = model();
    const baseline = tf.memory().numTensors;
    const seen: Record<string, number[]>[] = [];
    // SGD with η = 1e30 from step 3 on: step 3 (finite loss) throws the weights to ~1e30, step 4's loss overflows.
    const error = await m
      .fit(dataset, {
        epochs: 2,
        batchSize: 32,
        optimizer: { name: 'sgd', learningRate: 0.01 },
        learningRateSchedule: (step) => (step < 3 ? 0.01 : 1e30),
        onBatchEnd: async () => {
          seen.push(await snapshot(m));
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).step).toBe(4);
    expect((error as NonFiniteLossError).epoch).toBe(0);
    expect(String(error)).toMatch(/Autoencoder\.fit: non-finite loss at epoch 0, step 4; the weights were restored/);
    // Restored: the weights step 3 started from, i.e. those after step 2's update (seen at its batch end).
    expect(seen).toHaveLength(4);
    expect(await snapshot(m)).toEqual(seen[2]);
    expect(tf.memory().numTensors).toBe(baseline); // snapshots and the failed run's optimizer are freed
    m.dispose();
  });

  it('NaN guard: a poisoned batch stops training at that batch', async () => {
    const x = new Float32Array(dataset.x);
    x.fill(1e30, 2 * 32 * 8, 3 * 32 * 8); // the rows of batch 2 (no shuffle): their squared error overflows to ∞
    const poisoned = createDataset({ name: 'poisoned', x, shape: [256, 8] });
    const m = model();
    const seen: Record<string, number[]>[] = [];
    const error = await m
      .fit(poisoned, {
        epochs: 1,
        batchSize: 32,
        shuffle: false,
        onBatchEnd: async () => void seen.push(await snapshot(m)),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).step).toBe(2);
    expect((error as NonFiniteLossError).found).toBe('Infinity');
    expect(await snapshot(m)).toEqual(seen[0]); // the weights step 1 started from
    m.dispose();
  });

  it('stops before the next step when the signal is aborted', async () => {
    const m = model();
    const controller = new AbortController();
    const result = await m.fit(dataset, {
      epochs: 5,
      batchSize: 32,
      signal: controller.signal,
      onBatchEnd: (log) => {
        if (log.step === 10) controller.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.steps).toBe(11);
    expect(result.history).toHaveLength(1); // epoch 0 finished (8 steps), epoch 1 interrupted
    const already = await m.fit(dataset, { signal: controller.signal });
    expect([already.stopReason, already.steps]).toEqual(['aborted', 0]);
    m.dispose();
  });

  it('early stopping: stops after `patience` epochs without improvement and restores the best weights', async () => {
    const m = model();
    let best: Record<string, number[]> | null = null;
    const result = await m.fit(dataset, {
      epochs: 20,
      batchSize: 32,
      validationData: validation,
      learningRateSchedule: (_step, epoch) => (epoch < 2 ? 0.01 : 0), // no learning after epoch 1
      earlyStopping: { patience: 2 },
      onEpochEnd: async (log) => {
        if (log.epoch === 1) best = await snapshot(m);
        // From epoch 1 on, spoil the weights after validation: epochs 2 and 3 validate worse than epoch 1.
        if (log.epoch >= 1) {
          const w = m.getWeights();
          const spoiled = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, tf.mul(t, 0.5)]));
          m.setWeights(spoiled);
          tf.dispose([w, spoiled]);
        }
      },
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.bestEpoch).toBe(1);
    expect(result.history).toHaveLength(4); // epochs 0–3
    expect(result.history[2]!.validation!.loss).toBeGreaterThan(result.history[1]!.validation!.loss);
    expect(await snapshot(m)).toEqual(best);
    m.dispose();
  });

  it('gives the event loop a turn between steps', async () => {
    // A macrotask queued at the end of step k (setImmediate in Node, a MessageChannel message in browsers) has run
    // before step k + 1 ends: with yieldEveryMs 0 the trainer gives the loop a turn after every step.
    const host = globalThis as unknown as {
      setImmediate?: (cb: () => void) => unknown;
      MessageChannel: new () => {
        port1: { onmessage: (() => void) | null; close(): void };
        port2: { postMessage(m: null): void };
      };
    };
    const queueMacrotask = (cb: () => void) => {
      if (typeof host.setImmediate === 'function') return void host.setImmediate(cb);
      const channel = new host.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        cb();
      };
      channel.port2.postMessage(null);
    };
    const m = model();
    let ran = 0;
    const ranBefore: number[] = [];
    const { steps } = await m.fit(dataset, {
      epochs: 2,
      batchSize: 16,
      yieldEveryMs: 0,
      onBatchEnd: () => {
        ranBefore.push(ran);
        queueMacrotask(() => ran++);
      },
    });
    expect(steps).toBe(32);
    expect(ranBefore).toEqual(Array.from({ length: 32 }, (_, k) => k));
    m.dispose();
  });

  it('continues with the same optimizer when it is passed back, and trains from a tensor', async () => {
    const m = model();
    const x = tf.tensor2d(dataset.x, [256, 8]);
    await m.fit(x, { epochs: 1, batchSize: 64 });
    const optimizer = m.optimizer!;
    expect(optimizer.iterations).toBe(4);
    await m.fit(x, { epochs: 1, batchSize: 64, optimizer });
    expect(m.optimizer).toBe(optimizer);
    expect(optimizer.iterations).toBe(8);
    const direct = await train(m, x, { epochs: 1, batchSize: 256, optimizer });
    expect(direct.createdOptimizer).toBe(false);
    x.dispose();
    m.dispose();
  });
});
