import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createDataset } from '@latentlab/data';
import { type BatchLog, createOptimizer, Vae } from '@latentlab/models';
import { TrainingWorkers, type WorkerBatchLog } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nextWorkers, rateOf, trainWithAutoWorkers, type WorkerChoice } from './auto-workers.js';
import { runCli, writePointsCsv } from './test-support/cli.js';

// 16-feature bytes, a small VAE: the code path of `--workers auto`, not its speed.
const rows = (n: number) =>
  createDataset({
    name: 'bytes',
    x: Uint8Array.from({ length: n * 16 }, (_, i) => (i * 37) % 256),
    shape: [n, 16],
  });
const vae = () => new Vae({ inputShape: [16], latentDim: 2, hiddenUnits: [8], seed: 1 });
const rate = (workers: number, samplesPerSecond: number) => ({ workers, samplesPerSecond });
const weights = (m: Vae) => m.trainableVariables.map((v) => Array.from(v.dataSync()));

describe('nextWorkers (the ladder of --workers auto)', () => {
  it('tries 1, then doubles while each count is faster than the best before it, and keeps the fastest', () => {
    expect(nextWorkers([], 8)).toEqual({ try: 1 });
    expect(nextWorkers([rate(1, 100)], 8)).toEqual({ try: 2 });
    expect(nextWorkers([rate(1, 100)], 1)).toEqual({ keep: 1 });
    // 2 faster on 2 CPUs: 2 is kept (and goes on); not faster: back to 1 (a tie is not faster).
    expect(nextWorkers([rate(1, 100), rate(2, 120)], 2)).toEqual({ keep: 2 });
    expect(nextWorkers([rate(1, 100), rate(2, 90)], 2)).toEqual({ keep: 1 });
    expect(nextWorkers([rate(1, 100), rate(2, 100)], 2)).toEqual({ keep: 1 });
    // On 8 CPUs: 4 after a faster 2; a slower 4 hands back to 2, a faster 8 is kept.
    expect(nextWorkers([rate(1, 100), rate(2, 120)], 8)).toEqual({ try: 4 });
    expect(nextWorkers([rate(1, 100), rate(2, 120), rate(4, 110)], 8)).toEqual({ keep: 2 });
    expect(nextWorkers([rate(1, 100), rate(2, 120), rate(4, 150), rate(8, 160)], 8)).toEqual({ keep: 8 });
    // 4 CPUs of a 5-CPU limit: 8 is not tried.
    expect(nextWorkers([rate(1, 100), rate(2, 120), rate(4, 150)], 5)).toEqual({ keep: 4 });
  });
});

describe('rateOf', () => {
  it('is the batch size over the mean gap between two consecutive step ends of one stretch', () => {
    const ends = [
      { stretch: 1, at: 0 },
      { stretch: 1, at: 10 },
      { stretch: 1, at: 30 }, // gaps 10, 20
      { stretch: 2, at: 500 }, // another window, or across an epoch's end: not a step's time
      { stretch: 2, at: 530 }, // gap 30
    ];
    expect(rateOf(ends, 64)).toBeCloseTo((64 * 3 * 1000) / (10 + 20 + 30), 9);
    expect(rateOf(ends.slice(2, 4), 64)).toBe(0);
  });
});

describe('trainWithAutoWorkers (--workers auto)', { timeout: 300_000 }, () => {
  // One trainInWorkers run on 2 threads: 1 of them computes the first steps, then 2, then the faster count (as
  // measured: with this small model either may win; the ladder's rule is tested above).
  it('rates 1 then 2 workers on the run itself, keeps the faster, and makes the run fit makes', async () => {
    // 200 steps per epoch, 4 epochs; counts rated over two windows of 3 steps: 1 (3 + 3), 2 (3 + 3), 1 (3 + 3), 2 (3 + 3).
    // The workers may run many of these small steps ahead of the logs that rate them on a loaded machine: 800 steps
    // leave room for that before the run ends.
    const data = rows(3200);
    const options = { epochs: 4, batchSize: 16, seed: 4 };
    const before = tf.memory().numTensors;
    const reference = vae();
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    const want = await reference.fit(data, { ...options, optimizer });
    const model = vae();
    const modelOptimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    const choices: WorkerChoice[] = [];
    const seen: number[] = [];
    const counts: number[] = [];
    const onBatchEnd = (log: BatchLog) => {
      seen.push(log.step);
      counts.push((log as WorkerBatchLog).workers);
    };
    const threads = new TrainingWorkers({ workers: 2 });
    const { result, choice } = await trainWithAutoWorkers(
      model,
      data,
      { ...options, optimizer: modelOptimizer, onBatchEnd },
      { warmup: 3, window: 6, minSteps: 20, onChoice: (c) => choices.push(c), threads },
    );
    expect(threads.isUsed).toBe(true);
    expect(choices).toEqual([choice]); // said once
    expect(choice.rates.map((r) => r.workers)).toEqual([1, 2]);
    for (const r of choice.rates) expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(choice.workers).toBe((nextWorkers(choice.rates, 2) as { keep: number }).keep);
    expect(choice.reason).toMatch(/^1 worker \d+, 2 workers \d+ samples\/s$/);
    // Every step once, in order: 1 worker's steps, then 2 workers', 1's, 2's, then (if 1 was faster) 1 worker's.
    expect(result.stopReason).toBe('completed');
    expect(result.steps).toBe(want.steps);
    expect(seen).toEqual(Array.from({ length: 800 }, (_, i) => i));
    const runs = counts.filter((c, i) => i === 0 || c !== counts[i - 1]);
    expect(runs).toEqual(choice.workers === 2 ? [1, 2, 1, 2] : [1, 2, 1, 2, 1]);
    expect(counts.indexOf(2)).toBeGreaterThanOrEqual(6); // not before 1 worker's 3 + 3 steps
    expect(counts.at(-1)).toBe(choice.workers);
    // The run's history and weights are fit's.
    expect(result.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    result.history.forEach((h, e) => {
      expect(Math.abs(h.loss - want.history[e]!.loss)).toBeLessThan(1e-5 * Math.abs(want.history[e]!.loss));
    });
    const [a, b] = [weights(model), weights(reference)];
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < a[i]!.length; j++) expect(Math.abs(a[i]![j]! - b[i]![j]!)).toBeLessThan(1e-5);
    }
    for (const m of [model, reference]) m.dispose();
    for (const o of [optimizer, modelOptimizer]) o.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains on 1 worker without measuring on one CPU, or when fewer than minSteps steps are left', async () => {
    const model = vae();
    const data = rows(640); // 40 steps per epoch
    const said: string[] = [];
    const onChoice = (c: WorkerChoice) => said.push(c.reason);
    const threads = new TrainingWorkers({ workers: 2 }); // given, unused: ended
    const one = await trainWithAutoWorkers(
      model,
      data,
      { epochs: 1, batchSize: 16 },
      { maxWorkers: 1, onChoice, threads },
    );
    expect(threads.isUsed).toBe(true);
    expect(one.choice).toEqual({ workers: 1, rates: [], reason: 'one CPU' });
    expect(one.result.steps).toBe(40);
    // Resumed after epoch 1 of 3: 80 steps are left, fewer than 81.
    const state = one.result.state;
    const short = await trainWithAutoWorkers(
      model,
      data,
      { epochs: 3, batchSize: 16, initialState: state },
      { maxWorkers: 2, minSteps: 81, onChoice },
    );
    expect(short.choice).toEqual({ workers: 1, rates: [], reason: 'a run of fewer than 81 steps' });
    expect(short.result.steps).toBe(120);
    expect(said).toEqual(['one CPU', 'a run of fewer than 81 steps']);
    model.dispose();
  });

  it("stops on the caller's signal while measuring, and says so", async () => {
    // No threads given: it starts its own (2) and ends them. 400 steps: the workers may take several after the one
    // whose log stops the run, but not all of them.
    const model = vae();
    const controller = new AbortController();
    const { result, choice } = await trainWithAutoWorkers(
      model,
      rows(3200),
      {
        epochs: 2,
        batchSize: 16,
        signal: controller.signal,
        onBatchEnd: (log) => {
          if (log.step === 1) controller.abort();
        },
      },
      { maxWorkers: 2, warmup: 3, window: 6, minSteps: 20 },
    );
    expect(result.stopReason).toBe('aborted');
    // The workers stop before their next step once they see the signal (they may be a few steps past step 1); the
    // steps after it are not rated.
    expect(result.state.step).toBeGreaterThanOrEqual(2);
    expect(result.state.step).toBeLessThan(400);
    expect(choice).toEqual({ workers: 1, rates: [], reason: 'the run was stopped while measuring' });
    model.dispose();
  });
});

describe('latentlab train --workers auto', { timeout: 300_000 }, () => {
  it('measures on the run, says what it chose on stderr, and trains every step', async () => {
    const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-cli-auto-'));
    try {
      // 3200 rows, split 0.1: 2880 training rows, 180 steps per epoch; 8 epochs = 1440 steps (the rule measures
      // ≥ 300; the workers may run a few hundred of these small steps ahead of the logs that rate them).
      const csv = await writePointsCsv(path.join(root, 'points.csv'), { n: 3200, dim: 6, rank: 2, seed: 4 });
      const out = path.join(root, 'run');
      const r = await runCli(
        'train',
        ...['--dataset', csv, '--latent', '2', '--hidden', '8', '--batch-size', '16', '--epochs', '8'],
        ...['--backend', tf.getBackend(), '--out', out],
      );
      expect(r.code, r.stderr).toBe(0);
      const said = r.stderr.match(/^workers auto: 1 worker (\d+), 2 workers (\d+) samples\/s → ([12])$/m);
      expect(said, r.stderr).not.toBeNull();
      const [one, two, chosen] = said!.slice(1).map(Number);
      expect(chosen).toBe(two! > one! ? 2 : 1);
      const { steps, history } = JSON.parse(r.stdout);
      expect(steps).toBe(1440);
      expect(history.map((h: { epoch: number }) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
