import { createRng, ShapeError, ValueError } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import { createDataset, type Dataset, noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import { DEFAULT_AUTOENCODER_CONFIG } from './config.js';

/** n images [n, h, w, 1] in [0, 1]: each lights one random row and one random column (a "bars" data set). */
function bars(n: number, h: number, w: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(rng.nextFloat() * h);
    const c = Math.floor(rng.nextFloat() * w);
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) x[i * h * w + y * w + xx] = y === r || xx === c ? 1 : 0;
  }
  return createDataset({ name: 'bars', x, shape: [n, h, w, 1] });
}

const subspace = () => noisyLinearSubspace({ n: 512, dim: 16, rank: 3, noise: 0.05, seed: 3 });

describe('Autoencoder', () => {
  it('has frozen defaults and checks its config before building anything', () => {
    expect(Object.isFrozen(DEFAULT_AUTOENCODER_CONFIG)).toBe(true);
    const before = tf.memory().numTensors;
    expect(() => new Autoencoder({ latentDim: 0 })).toThrow(ValueError);
    expect(() => new Autoencoder({ latentDim: 0 })).toThrow(
      /Error in Autoencoder: latentDim is out of range: expected an integer ≥ 1, found 0/,
    );
    expect(() => new Autoencoder({ architecture: 'conv', inputShape: [784] })).toThrow(/\[height, width, channels\]/);
    expect(() => new Autoencoder({ reconstruction: 'l1' as 'mse' })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['linear', {}],
    ['mlp', { hiddenUnits: [12], activation: 'tanh' as const }],
  ])('%s: learns a noisy 3-d subspace of R^16 (training MSE falls by ≥ 5×)', async (architecture, extra) => {
    const { dataset } = subspace();
    const ae = new Autoencoder({ architecture: architecture as 'linear', inputShape: [16], latentDim: 3, ...extra });
    const { history } = await ae.fit(dataset, {
      epochs: 30,
      batchSize: 32,
      optimizer: { name: 'adam', learningRate: 0.01 },
    });
    const first = history[0]!.loss;
    const last = history.at(-1)!.loss;
    // Data variance per feature ≈ (3² + 2² + 1²)/16 + 0.05² ≈ 0.88; the optimum leaves ≈ (13/16)·0.05² ≈ 0.002.
    expect(last).toBeLessThan(first / 5);
    expect(history.every((h) => h.kl === null && h.validation === null)).toBe(true);
    ae.dispose();
  });

  it('conv: learns 8×8 bars with a Bernoulli loss (BCE falls by ≥ 2×) and keeps image shapes', async () => {
    const data = bars(256, 8, 8, 1);
    const ae = new Autoencoder({
      architecture: 'conv',
      inputShape: [8, 8, 1],
      convFilters: [8, 8],
      hiddenUnits: [],
      latentDim: 8,
      reconstruction: 'bernoulli',
    });
    const { history } = await ae.fit(data, {
      epochs: 25,
      batchSize: 32,
      optimizer: { name: 'adam', learningRate: 0.01 },
    });
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss / 2);
    const x = tf.tensor4d(data.x.slice(0, 5 * 64), [5, 8, 8, 1]);
    const z = ae.encode(x);
    const xHat = ae.reconstruct(x);
    expect(z.shape).toEqual([5, 8]);
    expect(xHat.shape).toEqual([5, 8, 8, 1]);
    const v = await xHat.data();
    expect(v.every((p) => p >= 0 && p <= 1)).toBe(true); // sigmoid of the logits
    tf.dispose([x, z, xHat]);
    ae.dispose();
  });

  it('encode/decode/reconstruct check shapes and leak nothing', async () => {
    const ae = new Autoencoder({ inputShape: [6], latentDim: 2, hiddenUnits: [4] });
    const x = tf.ones([3, 6]);
    const z = await assertNoLeaks(() => ae.encode(x), 1);
    const xHat = await assertNoLeaks(() => ae.decode(z), 1);
    const r = await assertNoLeaks(() => ae.reconstruct(x), 1);
    expect([z.shape, xHat.shape, r.shape]).toEqual([
      [3, 2],
      [3, 6],
      [3, 6],
    ]);
    const [a, b] = await Promise.all([xHat.data(), r.data()]);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(() => ae.encode(tf.ones([3, 5]))).toThrow(ShapeError);
    expect(() => ae.decode(tf.ones([3, 3]))).toThrow(/expected \[batch ≥ 1, 2\], found \[3, 3\]/);
    tf.dispose([x, z, xHat, r]);
    ae.dispose();
  });

  it('names its variables and round-trips them through getWeights/setWeights', async () => {
    const ae = new Autoencoder({ inputShape: [6], latentDim: 2, hiddenUnits: [4] });
    expect(ae.weightNames).toEqual([
      'encoder/0/w',
      'encoder/0/b',
      'encoder/z/w',
      'encoder/z/b',
      'decoder/0/w',
      'decoder/0/b',
      'decoder/1/w',
      'decoder/1/b',
    ]);
    expect(ae.parameterCount).toBe(6 * 4 + 4 + 4 * 2 + 2 + 2 * 4 + 4 + 4 * 6 + 6);
    const other = new Autoencoder({ inputShape: [6], latentDim: 2, hiddenUnits: [4], seed: 9 });
    const w = ae.getWeights();
    other.setWeights(w);
    const x = tf.ones([1, 6]);
    const a = ae.reconstruct(x);
    const b = other.reconstruct(x);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const { 'encoder/z/w': _, ...missing } = w;
    expect(() => other.setWeights(missing)).toThrow(/missing encoder\/z\/w/);
    tf.dispose([x, a, b, w]);
    ae.dispose();
    other.dispose();
  });
});
