import { assertNoLeaks } from '@latentlab/core/testing';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from '../autoencoder.js';
import { createOptimizer } from '../optimizers.js';
import { Pca } from '../pca/pca.js';
import { Vae } from '../vae.js';
import { crc32 } from './crc32.js';
import { FORMAT_VERSION, type LatentlabTopology, ModelFormatError } from './format.js';
import { artifactsToModel, loadModel, modelToArtifacts, saveModel } from './save-load.js';

const { dataset } = noisyLinearSubspace({ n: 96, dim: 8, rank: 2, noise: 0.05, seed: 3 });
const x = Float32Array.from(dataset.x as ArrayLike<number>);

/** Saves through tf.io.withSaveHandler (memory) and returns the artifacts. */
async function toMemory(save: (h: tf.io.IOHandler) => Promise<unknown>): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

async function weightsOf(m: { getWeights(): Record<string, tf.Tensor> }): Promise<Record<string, Float32Array>> {
  const w = m.getWeights();
  const out = Object.fromEntries(
    await Promise.all(Object.entries(w).map(async ([k, t]) => [k, Float32Array.from(await t.data())] as const)),
  );
  tf.dispose(Object.values(w));
  return out;
}

describe('saveModel / loadModel', () => {
  it('round-trips a trained VAE with its Adam state: weights bit-identical, decode(μ) identical', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 1 });
    const optimizerConfig = { name: 'adam', learningRate: 1e-2 } as const;
    const optimizer = createOptimizer(optimizerConfig);
    await vae.fit(dataset, { epochs: 1, batchSize: 32, optimizer });
    const artifacts = await toMemory((h) => saveModel(vae, h, { optimizer, optimizerConfig }));
    const loaded = await loadModel(tf.io.fromMemory(artifacts));
    const copy = loaded.model as Vae;
    expect(loaded.kind).toBe('vae');
    expect(copy.config).toEqual(vae.config);
    expect(await weightsOf(copy)).toEqual(await weightsOf(vae));
    // Optimizer slots: same iteration count and moments, under the new model's variable names.
    const before = await optimizer.getWeights();
    const after = await loaded.optimizer!.getWeights();
    expect(after.map((w) => w.name.replace(/^\d+\//, ''))).toEqual(before.map((w) => w.name.replace(/^\d+\//, '')));
    for (let i = 0; i < before.length; i++) {
      expect(Array.from(await after[i]!.tensor.data())).toEqual(Array.from(await before[i]!.tensor.data()));
    }
    tf.dispose([before[0]!.tensor, after[0]!.tensor]); // the iteration scalars are fresh tensors
    const inputs = tf.tensor2d(x.slice(0, 5 * 8), [5, 8]);
    const mu = vae.encode(inputs);
    const [a, b] = [vae.decode(mu), copy.decode(mu)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([inputs, mu, a, b]);
    // The noise streams are saved too: one more Adam step from the same state moves both models identically.
    expect(copy.noiseState).toEqual(vae.noiseState);
    await vae.fit(dataset, { epochs: 1, batchSize: 96, optimizer, shuffle: false });
    await copy.fit(dataset, { epochs: 1, batchSize: 96, optimizer: loaded.optimizer!, shuffle: false });
    expect(await weightsOf(copy)).toEqual(await weightsOf(vae));
    optimizer.dispose();
    loaded.optimizer!.dispose();
    vae.dispose();
    copy.dispose();
  });

  it('a file without noise state (earlier builds) replays the rows of its TrainState to the same position', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 4 });
    let state = null as Parameters<typeof saveModel>[2] extends infer O
      ? O extends { training?: infer T }
        ? T
        : never
      : never;
    await vae.fit(dataset, {
      epochs: 2,
      batchSize: 32,
      validationData: dataset,
      onEpochEnd: (_, s) => {
        state = s;
      },
    });
    const artifacts = await toMemory((h) => saveModel(vae, h, { training: state }));
    const topology = artifacts.modelTopology as { noise?: unknown };
    expect(topology.noise).toEqual(vae.noiseState);
    delete topology.noise;
    const replayed = (await loadModel(tf.io.fromMemory(artifacts))).model as Vae;
    expect(replayed.noiseState).toEqual(vae.noiseState); // 192 training rows and 192 evaluation rows replayed
    // A malformed noise state is a typed error.
    topology.noise = { train: { algorithm: 'xoshiro128**', s: [0, 0, 0, 0], spare: null } };
    const error = await loadModel(tf.io.fromMemory(artifacts)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(String(error)).toMatch(/noise state is malformed/);
    vae.dispose();
    replayed.dispose();
  });

  it('round-trips an autoencoder and a fitted PCA (float64 parameters bit-identical)', async () => {
    const ae = new Autoencoder({ architecture: 'mlp', inputShape: [8], latentDim: 2, hiddenUnits: [4], seed: 2 });
    const aeCopy = (await artifactsToModel(await modelToArtifacts(ae))).model as Autoencoder;
    expect(await weightsOf(aeCopy)).toEqual(await weightsOf(ae));
    ae.dispose();
    aeCopy.dispose();

    const pca = await new Pca({ nComponents: 3 }).fit(tf.tensor2d(x, [96, 8]));
    const loaded = await artifactsToModel(await modelToArtifacts(pca));
    const copy = loaded.model as Pca;
    expect(loaded.kind).toBe('pca');
    expect(copy.explainedVariance).toEqual(pca.explainedVariance);
    expect(copy.totalVariance).toBe(pca.totalVariance);
    expect(Array.from(await copy.components.data())).toEqual(Array.from(await pca.components.data()));
    expect(Array.from(await copy.mean.data())).toEqual(Array.from(await pca.mean.data()));
    pca.dispose();
    copy.dispose();
    // An unfitted PCA saves its config only.
    const empty = await artifactsToModel(await modelToArtifacts(new Pca({ nComponents: 2 })));
    expect((empty.model as Pca).isFitted).toBe(false);
  });

  it('repeated saves and loads leak no tensors', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6] });
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    await vae.fit(dataset, { epochs: 1, batchSize: 48, optimizer });
    const optimizerConfig = { name: 'adam', learningRate: 1e-3 } as const;
    // The first save may turn FusedAdam's JavaScript-held moments into (optimizer-owned) variables.
    await modelToArtifacts(vae, { optimizer, optimizerConfig });
    await assertNoLeaks(async () => {
      for (let i = 0; i < 3; i++) {
        const artifacts = await modelToArtifacts(vae, { optimizer, optimizerConfig });
        const loaded = await artifactsToModel(artifacts);
        loaded.model.dispose();
        loaded.optimizer?.dispose();
      }
    });
    optimizer.dispose();
    vae.dispose();
  });

  it('stores the CRC-32 of the weight data and refuses data with a flipped bit, before touching any weight', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6] });
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-2 });
    await vae.fit(dataset, { epochs: 1, batchSize: 32, optimizer });
    const good = await modelToArtifacts(vae, { optimizer, optimizerConfig: { name: 'adam', learningRate: 1e-2 } });
    vae.dispose();
    optimizer.dispose();
    const data = new Uint8Array(good.weightData as ArrayBuffer);
    const topology = good.modelTopology as unknown as LatentlabTopology;
    expect(topology.weightDataCrc32).toBe(crc32(data));
    const before = tf.memory().numTensors;
    // A flipped bit in the first byte, one in the middle (an Adam moment) and one in the last byte.
    for (const at of [0, data.length >> 1, data.length - 1]) {
      const corrupted = data.slice();
      corrupted[at]! ^= 0x10;
      const error = await artifactsToModel({ ...good, weightData: corrupted.buffer }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `weight data is corrupted.*expected CRC-32 0x${topology.weightDataCrc32!.toString(16).padStart(8, '0')}, found CRC-32 0x[0-9a-f]{8} over ${data.length} bytes`,
        ),
      );
    }
    for (const bad of [-1, 2 ** 32, 1.5, '0x12345678']) {
      const artifacts = { ...good, modelTopology: { ...topology, weightDataCrc32: bad } as never };
      const error = await artifactsToModel(artifacts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(/weightDataCrc32 is not a CRC-32/);
    }
    expect(tf.memory().numTensors).toBe(before);
    // Files of earlier builds have no CRC-32 and load unchecked.
    const { weightDataCrc32: _crc, ...older } = topology;
    const loaded = await artifactsToModel({ ...good, modelTopology: older as never });
    expect(loaded.kind).toBe('vae');
    loaded.model.dispose();
    loaded.optimizer?.dispose();
  });

  it('rejects bad artifacts with a ModelFormatError naming the weight and the byte counts', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6] });
    const good = await modelToArtifacts(vae);
    vae.dispose();
    const data = good.weightData as ArrayBuffer;
    const specs = good.weightSpecs!;
    const last = specs.at(-1)!;
    const topology = good.modelTopology as unknown as Record<string, unknown>;
    const cases: [tf.io.ModelArtifacts, RegExp][] = [
      [
        { ...good, weightData: data.slice(0, data.byteLength - 1) },
        new RegExp(
          `ends inside weight '${last.name}'.*expected ${last.shape.reduce((a, b) => a * b, 1) * 4} bytes.*found ${last.shape.reduce((a, b) => a * b, 1) * 4 - 1} bytes`,
        ),
      ],
      [
        { ...good, modelTopology: { ...topology, formatVersion: FORMAT_VERSION + 1 } },
        /unknown format version: expected formatVersion 1, found 2/,
      ],
      [{ ...good, modelTopology: { nonsense: true } }, /not a Latentlab model/],
      [
        { ...good, weightSpecs: specs.map((s, i) => (i === 0 ? { ...s, dtype: 'float16' as 'float32' } : s)) },
        new RegExp(`weight '${specs[0]!.name}' has an unsupported dtype: expected float32 or int32, found float16`),
      ],
      [
        { ...good, weightSpecs: specs.map((s, i) => (i === 0 ? { ...s, dtype: 'int32' as const } : s)) },
        /weight 'encoder\/0\/w' has the wrong dtype: expected float32, found int32/,
      ],
      [
        {
          ...good,
          weightSpecs: specs.map((s, i) => (i === 0 ? { ...s, shape: [s.shape[1]!, s.shape[0]!] } : s)),
        },
        /weight 'encoder\/0\/w' has the wrong shape: expected \[8, 6\] \(192 bytes\), found \[6, 8\] \(192 bytes\)/,
      ],
    ];
    for (const [artifacts, message] of cases) {
      const error = await artifactsToModel(artifacts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(message);
    }
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});
