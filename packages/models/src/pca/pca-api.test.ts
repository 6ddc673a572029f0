import { ValueError } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pcaMetrics } from '../evaluation/evaluate.js';
import { Pca } from './pca.js';

const n = 50;
const d = 5;
const data = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.91) + (i % d) * 0.3 * Math.cos(i * 0.13));
const x = { data, shape: [n, d] };

describe('Pca.fitTransform', () => {
  it('equals fit then transform', async () => {
    const a = new Pca({ nComponents: 3 });
    const z = await a.fitTransform(x);
    const b = await new Pca({ nComponents: 3 }).fit(x);
    const zb = b.transform(x);
    expect(z.shape).toEqual([n, 3]);
    expect(Array.from(await z.data())).toEqual(Array.from(await zb.data()));
    tf.dispose([z, zb]);
    a.dispose();
    b.dispose();
  });
});

describe('Pca.evaluate', () => {
  it('on the training rows is (n − 1)/n · Σ of the discarded eigenvalues, per feature', async () => {
    const full = await new Pca().fit(x); // every eigenvalue λ_1 … λ_d
    const k = 2;
    const pca = await new Pca({ nComponents: k }).fit(x);
    const discarded = Array.from(full.explainedVariance)
      .slice(k)
      .reduce((a, b) => a + b, 0);
    const { loss, reconstruction, kl } = await pca.evaluate(x, { chunkRows: 7 });
    expect(loss).toBeCloseTo((((n - 1) / n) * discarded) / d, 5);
    expect(reconstruction).toBe(loss);
    expect(kl).toBeNull();
    // The same figure as pcaMetrics' reconstruction MSE (one pass over a tensor).
    const t = tf.tensor2d(data, [n, d]);
    expect(loss).toBeCloseTo(pcaMetrics(pca, t).reconstructionMse!, 5);
    t.dispose();
    full.dispose();
    pca.dispose();
  });

  it('leaks no tensors and rejects the wrong number of features', async () => {
    const pca = await new Pca({ nComponents: 2 }).fit(x);
    const before = tf.memory().numTensors;
    await pca.evaluate(x);
    expect(tf.memory().numTensors).toBe(before);
    await expect(pca.evaluate({ data: new Float32Array(12), shape: [3, 4] })).rejects.toThrow(/Pca.evaluate/);
    await expect(pca.evaluate(x, { chunkRows: 0 })).rejects.toThrow(ValueError);
    pca.dispose();
  });
});
