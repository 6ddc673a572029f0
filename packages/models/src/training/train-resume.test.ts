import { noisyLinearSubspace } from '@latentlab/data';
import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { artifactsToModel, modelToArtifacts } from '../io/save-load.js';
import { createOptimizer, type OptimizerConfig } from '../optimizers.js';
import { Vae } from '../vae.js';
import type { EpochLog } from './logs.js';

const { dataset } = noisyLinearSubspace({ n: 200, dim: 8, rank: 2, noise: 0.1, seed: 21 });
const validationData = noisyLinearSubspace({ n: 40, dim: 8, rank: 2, noise: 0.1, seed: 22 }).dataset;
const config = {
  inputShape: [8],
  latentDim: 2,
  hiddenUnits: [8],
  decoder: 'gaussian',
  decoderVariance: 0.1,
  seed: 3,
} as const;
const optimizerConfig: OptimizerConfig = { name: 'adam', learningRate: 5e-3 };
const options = { epochs: 4, batchSize: 32, seed: 5, validationData }; // 7 batches per epoch, the last of 8

const losses = (h: readonly EpochLog[]) => h.map((l) => [l.loss, l.reconstruction, l.kl, l.validation!.loss]);

describe('train: resume from a checkpoint', () => {
  it('stopped (mid-epoch or at an epoch end) and resumed from the last epoch checkpoint, it matches an uninterrupted run', async () => {
    const reference = new Vae(config);
    const refOptimizer = createOptimizer(optimizerConfig);
    const full = await reference.fit(dataset, { ...options, optimizer: refOptimizer });
    for (const stop of [
      { epoch: 1, batch: null }, // aborted right after the checkpoint of epoch 1
      { epoch: 2, batch: 3 }, // aborted in the middle of epoch 2: resumes from the end of epoch 1
    ]) {
      const vae = new Vae(config);
      const optimizer = createOptimizer(optimizerConfig);
      const controller = new AbortController();
      let checkpoint: tf.io.ModelArtifacts | null = null;
      const partial = await vae.fit(dataset, {
        ...options,
        optimizer,
        signal: controller.signal,
        onEpochEnd: async (log, state) => {
          checkpoint = await modelToArtifacts(vae, { optimizer, optimizerConfig, training: state });
          if (stop.batch === null && log.epoch === stop.epoch) controller.abort();
        },
        onBatchEnd: (log) => {
          if (log.epoch === stop.epoch && log.batch === stop.batch) controller.abort();
        },
      });
      expect(partial.stopReason).toBe('aborted');
      // A fresh model and optimizer from the checkpoint only (as in a new process).
      const loaded = await artifactsToModel(checkpoint!);
      const resumedModel = loaded.model as Vae;
      expect(loaded.training!.epoch).toBe(stop.batch === null ? stop.epoch + 1 : stop.epoch);
      const resumed = await resumedModel.fit(dataset, {
        ...options,
        optimizer: loaded.optimizer!,
        initialState: loaded.training!,
      });
      expect(resumed.stopReason).toBe('completed');
      expect(resumed.steps).toBe(full.steps);
      expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
      const [a, b] = [losses(full.history), losses(resumed.history)];
      for (let e = 0; e < a.length; e++) {
        for (let i = 0; i < a[e]!.length; i++) expect(Math.abs(b[e]![i]! - a[e]![i]!)).toBeLessThan(1e-5);
      }
      vae.dispose();
      optimizer.dispose();
      resumedModel.dispose();
      loaded.optimizer!.dispose();
    }
    reference.dispose();
    refOptimizer.dispose();
  }, 120_000);

  it('aborted mid-epoch and saved with TrainResult.state, it resumes inside the epoch: the uninterrupted run', async () => {
    const reference = new Vae(config);
    const refOptimizer = createOptimizer(optimizerConfig);
    const full = await reference.fit(dataset, { ...options, optimizer: refOptimizer });
    const vae = new Vae(config);
    const optimizer = createOptimizer(optimizerConfig);
    const controller = new AbortController();
    const partial = await vae.fit(dataset, {
      ...options,
      optimizer,
      signal: controller.signal,
      onBatchEnd: (log) => {
        if (log.epoch === 2 && log.batch === 3) controller.abort();
      },
    });
    expect(partial.stopReason).toBe('aborted');
    expect(partial.state).toMatchObject({ epoch: 2, batch: 4, step: 2 * 7 + 4, trainRows: 2 * 200 + 4 * 32 });
    expect(partial.state.partial?.rows).toBe(4 * 32);
    expect(partial.state.partial?.seconds).toBeGreaterThan(0);
    // Saved and loaded into a fresh model and optimizer (as after a page reload), then resumed.
    const loaded = await artifactsToModel(
      await modelToArtifacts(vae, { optimizer, optimizerConfig, training: partial.state }),
    );
    const resumedModel = loaded.model as Vae;
    const resumed = await resumedModel.fit(dataset, {
      ...options,
      optimizer: loaded.optimizer!,
      initialState: loaded.training!,
    });
    expect(resumed.steps).toBe(full.steps);
    expect(resumed.state).toMatchObject({ epoch: 4, batch: 0, partial: null });
    // Epoch 2's clock went on from the seconds it had run before the stop (saved in the state).
    const resumedEpoch = resumed.history[2]!;
    expect(resumedEpoch.seconds).toBeGreaterThanOrEqual(loaded.training!.partial!.seconds!);
    expect(resumedEpoch.samplesPerSecond).toBeCloseTo(200 / resumedEpoch.seconds, 6);
    const [a, b] = [losses(full.history), losses(resumed.history)];
    expect(b).toHaveLength(4);
    for (let e = 0; e < a.length; e++) {
      for (let i = 0; i < a[e]!.length; i++) expect(Math.abs(b[e]![i]! - a[e]![i]!)).toBeLessThan(1e-5);
    }
    for (const m of [vae, resumedModel, reference]) m.dispose();
    for (const o of [optimizer, loaded.optimizer!, refOptimizer]) o.dispose();
  }, 120_000);

  it("a resumed epoch's seconds count those it ran before the stop, the log's rate over them", async () => {
    const vae = new Vae(config);
    const controller = new AbortController();
    const stopped = await vae.fit(dataset, {
      ...options,
      epochs: 1,
      signal: controller.signal,
      onBatchEnd: (log) => {
        if (log.batch === 2) controller.abort();
      },
    });
    // As if the first 3 batches had taken 1000 s: the epoch's log says 1000 s and more, and its rate follows.
    const state = { ...stopped.state, partial: { ...stopped.state.partial!, seconds: 1000 } };
    const t0 = performance.now();
    const resumed = await vae.fit(dataset, { ...options, epochs: 1, initialState: state });
    const elapsed = (performance.now() - t0) / 1000;
    const [log] = resumed.history;
    expect(log!.seconds).toBeGreaterThanOrEqual(1000);
    expect(log!.seconds).toBeLessThanOrEqual(1000 + elapsed);
    expect(log!.samplesPerSecond).toBeCloseTo(200 / log!.seconds, 9);
    vae.dispose();
  });

  it('rejects an initial state past the end of the run', async () => {
    const vae = new Vae(config);
    const state = {
      epoch: 5,
      step: 0,
      history: [],
      bestEpoch: -1,
      bestValue: Infinity,
      wait: 0,
      trainRows: 0,
      evalRows: 0,
    };
    await expect(vae.fit(dataset, { ...options, initialState: state })).rejects.toThrow(
      /Vae\.fit: initialState is past the end of the run: expected epoch ≤ epochs \(4\), found 5/,
    );
    vae.dispose();
  });
});
