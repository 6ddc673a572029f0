import { createDataset } from '@latentlab/data';
import { Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { chooseWorkers } from './auto-workers.js';

// 16-feature bytes, a small VAE: the calibration's code path, not its speed.
const rows = (n: number) =>
  createDataset({
    name: 'bytes',
    x: Uint8Array.from({ length: n * 16 }, (_, i) => (i * 37) % 256),
    shape: [n, 16],
  });
const vae = () => new Vae({ inputShape: [16], latentDim: 2, hiddenUnits: [8], seed: 1 });

describe('chooseWorkers (--workers auto)', () => {
  it('measures 1 then 2 workers and takes the faster, never one measured slower than 1; no tensors left', async () => {
    const model = vae();
    const before = tf.memory().numTensors;
    const choice = await chooseWorkers(model, rows(3 * 4 * 16), { batchSize: 16, steps: 4, maxWorkers: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(choice.rates.map((r) => r.workers)).toEqual([1, 2]);
    for (const r of choice.rates) expect(r.samplesPerSecond).toBeGreaterThan(0);
    const fastest = choice.rates.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
    expect(choice.workers).toBe(fastest.workers);
    expect(choice.rates[0]!.samplesPerSecond).toBeLessThanOrEqual(
      choice.rates.find((r) => r.workers === choice.workers)!.samplesPerSecond,
    );
    expect(choice.reason).toMatch(/^1 worker \d+, 2 workers \d+ samples\/s$/);
    model.dispose();
  }, 120_000);

  it('chooses 1 without measuring on one CPU, or when the data is shorter than 3 calibration epochs', async () => {
    const model = vae();
    expect(await chooseWorkers(model, rows(1000), { batchSize: 16, maxWorkers: 1 })).toEqual({
      workers: 1,
      rates: [],
      reason: 'one CPU',
    });
    const short = await chooseWorkers(model, rows(3 * 12 * 16 - 1), { batchSize: 16, maxWorkers: 2 });
    expect(short).toEqual({ workers: 1, rates: [], reason: 'fewer than 36 batches per epoch' });
    model.dispose();
  });
});
