import { ShapeError, ValueError } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../errors.js';
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
    expect(loss).toBeCloseTo((await pcaMetrics(pca, t)).reconstructionMse!, 5);
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

describe('Pca.toParameters', () => {
  it('returns the fit as float64: orthonormal components, λ equal to the variance of the codes, Σλ ≤ trace', async () => {
    const pca = await new Pca({ nComponents: 3 }).fit(x);
    const p = await assertNoLeaks(() => pca.toParameters(), 0);
    expect(p.solver).toBe('exact');
    expect(p.n).toBe(n);
    expect(p.mean).toBeInstanceOf(Float64Array);
    expect([p.mean.length, p.components.length, p.explainedVariance.length]).toEqual([d, 3 * d, 3]);
    // Independent float64 references from the data: the column means, and Var(w_jᵀ(x − m)) with n − 1.
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[i * d + c]!;
      expect(p.mean[c]).toBeCloseTo(s / n, 6);
    }
    for (let j = 0; j < 3; j++) {
      const w = p.components.subarray(j * d, (j + 1) * d);
      expect(w.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 10);
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += w[c]! * (data[i * d + c]! - p.mean[c]!);
        s2 += z * z;
      }
      expect(p.explainedVariance[j]).toBeCloseTo(s2 / (n - 1), 6);
    }
    let trace = 0;
    for (let c = 0; c < d; c++) {
      let s2 = 0;
      for (let i = 0; i < n; i++) s2 += (data[i * d + c]! - p.mean[c]!) ** 2;
      trace += s2 / (n - 1);
    }
    expect(p.totalVariance).toBeCloseTo(trace, 6);
    pca.dispose();
  });

  it('round-trips through fromParameters with the config (randomized solver and whitening kept), as copies', async () => {
    const config = { nComponents: 2, solver: 'randomized' as const, whiten: true, seed: 7 };
    const pca = await new Pca(config).fit(x);
    const p = pca.toParameters();
    p.mean[0] = Number.NaN; // a copy: the model is unchanged
    expect(pca.toParameters().mean[0]).not.toBeNaN();
    const copy = Pca.fromParameters(pca.toParameters(), pca.config);
    expect(copy.config).toEqual(pca.config);
    expect(copy.solver).toBe('randomized');
    const [a, b] = [pca.encode(x), copy.encode(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    expect(() => Pca.fromParameters(pca.toParameters(), { nComponents: 3 })).toThrow(/nComponents disagrees/);
    expect(() => Pca.fromParameters({ ...pca.toParameters(), solver: 'qr' as 'exact' })).toThrow(ValueError);
    expect(() => Pca.fromParameters(pca.toParameters(), { seed: -1 })).toThrow(ValueError);
    expect(() => Pca.fromParameters({ ...pca.toParameters(), mean: [1] })).toThrow(ShapeError);
    pca.dispose();
    copy.dispose();
  });

  it('throws a NotFittedError before a fit and after dispose', async () => {
    const pca = new Pca({ nComponents: 2 });
    expect(() => pca.toParameters()).toThrow(NotFittedError);
    await pca.fit(x);
    pca.dispose();
    expect(() => pca.toParameters()).toThrow(/Pca\.toParameters/);
  });
});
