import { createRng, importanceWeightedLogLikelihood } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder } from '../autoencoder.js';
import { Pca } from '../pca/pca.js';
import { Vae } from '../vae.js';
import { evaluateLatentModel, gaussianKlToStandard, pcaMetrics, vaeLogLikelihood } from './evaluate.js';

const { dataset } = noisyLinearSubspace({ n: 256, dim: 8, rank: 2, noise: 0.1, seed: 11 });
const test = noisyLinearSubspace({ n: 64, dim: 8, rank: 2, noise: 0.1, seed: 12 }).dataset;
const testX = () => tf.tensor2d(Float32Array.from(test.x as ArrayLike<number>), [64, 8]);

/** Mean and standard error of a list of numbers. */
function meanSe(values: readonly number[]): { mean: number; se: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

describe('evaluateLatentModel', () => {
  let vae: Vae;
  beforeAll(async () => {
    vae = new Vae({
      inputShape: [8],
      latentDim: 2,
      hiddenUnits: [16],
      decoder: 'gaussian',
      decoderVariance: 0.05,
      seed: 4,
    });
    await vae.fit(dataset, { epochs: 30, batchSize: 32, optimizer: { name: 'adam', learningRate: 1e-2 }, seed: 1 });
  }, 120_000);

  it('IWAE bounds are ≥ the ELBO and non-decreasing in K over (1, 5, 50, 500), paired over 64 examples', async () => {
    const x = testX();
    const decoder = vaeLogLikelihood(vae);
    const adapter = { encode: (t: tf.Tensor) => vae.posterior(t), logLikelihood: decoder.logLikelihood };
    const perK: number[][] = [];
    for (const [i, k] of [1, 5, 50, 500].entries()) {
      const r = await importanceWeightedLogLikelihood(x, adapter, { k, rng: createRng(100 + i) });
      perK.push(Array.from(r.logPx));
    }
    decoder.dispose();
    x.dispose();
    // E[log p̂_K] is non-decreasing in K (Burda et al. 2015, Thm 1): each paired difference of the sample means
    // may be negative only by sampling noise (3 standard errors).
    for (let i = 0; i + 1 < perK.length; i++) {
      const d = meanSe(perK[i + 1]!.map((v, b) => v - perK[i]![b]!));
      expect(d.mean).toBeGreaterThan(-3 * d.se);
    }
    // q is not the exact posterior here, so K = 500 is strictly tighter than K = 1 (far beyond the noise).
    const gain = meanSe(perK[3]!.map((v, b) => v - perK[0]![b]!));
    expect(gain.mean).toBeGreaterThan(3 * gain.se);
    // ... and above the ELBO (the negative of the model's evaluation loss, itself a noisy estimate).
    const metrics = await evaluateLatentModel(vae, test, { iwaeK: 500, seed: 7 });
    const elbo = -metrics.loss.loss;
    const l500 = meanSe(perK[3]!);
    expect(l500.mean).toBeGreaterThan(elbo - 3 * l500.se);
    expect(-metrics.iwae!.nll).toBeGreaterThan(elbo - 3 * l500.se);
    expect(metrics.iwae!.k).toBe(500);
    expect(metrics.iwae!.meanEss).toBeGreaterThanOrEqual(1);
    expect(metrics.iwae!.meanEss).toBeLessThanOrEqual(500);
  }, 120_000);

  it('measures KL per dimension, active units and the aggregate posterior from the posterior moments', async () => {
    const m = await evaluateLatentModel(vae, test, { batchSize: 24 });
    // Independent float64 recomputation from q(z|x) of all 64 examples.
    const x = testX();
    const { mu, logVar } = vae.posterior(x);
    const muV = Array.from(mu.dataSync());
    const lvV = Array.from(logVar.dataSync());
    const recon = vae.decode(mu);
    const xV = Array.from(x.dataSync());
    const rV = Array.from(recon.dataSync());
    tf.dispose([x, mu, logVar, recon]);
    const D = 2;
    for (let j = 0; j < D; j++) {
      let kl = 0;
      for (let b = 0; b < 64; b++) {
        const [mm, lv] = [muV[b * D + j]!, lvV[b * D + j]!];
        kl += 0.5 * (mm * mm + Math.exp(lv) - 1 - lv);
      }
      const tol = tf.getBackend() === 'webgl' ? 1e-3 : 1e-5; // webgl: float32 exp with less careful rounding
      expect(m.klPerDim![j]).toBeCloseTo(kl / 64, -Math.log10(tol));
      const mean = muV.filter((_, i) => i % D === j).reduce((a, b) => a + b, 0) / 64;
      const variance = muV.filter((_, i) => i % D === j).reduce((a, b) => a + (b - mean) ** 2, 0) / 63;
      expect(m.codeVariance[j]).toBeCloseTo(variance, 4);
    }
    expect(m.reconstructionMse).toBeCloseTo(xV.reduce((a, v, i) => a + (v - rV[i]!) ** 2, 0) / xV.length, 5);
    expect(m.activeUnits).toBe(m.codeVariance.filter((v) => v > 0.01).length);
    expect(m.aggregatePosteriorKl).toBeGreaterThanOrEqual(0);
    expect(m.examples).toBe(64);
    await assertNoLeaks(() => evaluateLatentModel(vae, test, { iwaeK: 3 }));
  });

  it('counts collapsed dimensions as inactive (forced: zero μ and log σ² weights)', async () => {
    const model = new Vae({ inputShape: [8], latentDim: 4, hiddenUnits: [16], seed: 9, decoder: 'gaussian' });
    const w = model.getWeights();
    const muW = w['encoder/mu/w']!.arraySync() as number[][];
    for (const row of muW) {
      row[2] = 0;
      row[3] = 0;
    }
    const muB = w['encoder/mu/b']!.arraySync() as number[];
    muB[2] = 0;
    muB[3] = 0;
    const forced = {
      ...w,
      'encoder/mu/w': tf.tensor2d(muW),
      'encoder/mu/b': tf.tensor1d(muB),
      'encoder/logVar/w': tf.zerosLike(w['encoder/logVar/w']!),
      'encoder/logVar/b': tf.zerosLike(w['encoder/logVar/b']!),
    };
    model.setWeights(forced);
    tf.dispose([...Object.values(w), ...Object.values(forced)]);
    // The data is scaled up so the live dimensions vary well above the 0.01 threshold.
    const x = tf.tidy(() => tf.mul(testX(), 10));
    const m = await evaluateLatentModel(model, x);
    x.dispose();
    expect(m.codeVariance[2]).toBe(0);
    expect(m.codeVariance[3]).toBe(0);
    expect(m.klPerDim![2]).toBe(0); // μ = 0, σ² = 1: q equals the prior
    expect(m.klPerDim![3]).toBe(0);
    expect(m.codeVariance[0]).toBeGreaterThan(0.01);
    expect(m.codeVariance[1]).toBeGreaterThan(0.01);
    expect(m.activeUnits).toBe(2);
    model.dispose();
  });

  it('works for an autoencoder (no KL, no IWAE) and for PCA', async () => {
    const ae = new Autoencoder({ architecture: 'linear', inputShape: [8], latentDim: 2 });
    const m = await evaluateLatentModel(ae, test, { iwaeK: 10 });
    expect(m.model).toBe('autoencoder');
    expect(m.klPerDim).toBeNull();
    expect(m.iwae).toBeNull();
    expect(m.reconstructionMse).toBeCloseTo(m.loss.reconstruction, 5); // the 'mse' loss is the same mean
    ae.dispose();
    const x = testX();
    const pca = await new Pca({ nComponents: 2 }).fit(x);
    const p = await pcaMetrics(pca, x);
    expect(p.explainedVarianceRatio).toHaveLength(2);
    expect(p.cumulativeExplainedVariance).toBeCloseTo(
      Array.from(pca.explainedVariance).reduce((a, b) => a + b, 0) / pca.totalVariance,
      12,
    );
    // Rank-2 data with noise 0.1: the residual is the noise left outside the 2-d subspace.
    expect(p.reconstructionMse!).toBeGreaterThan(0);
    expect(p.reconstructionMse!).toBeLessThan(0.1 ** 2 * 1.5);
    pca.dispose();
    x.dispose();
  });
});

describe('gaussianKlToStandard', () => {
  it('is 0 at N(0, I) and matches the closed form for a correlated 2-d Gaussian', () => {
    expect(gaussianKlToStandard([0, 0], Float64Array.from([1, 0, 0, 1]), 2)).toBe(0);
    // Σ = [[2, 0.5], [0.5, 1]], m = (1, −1): det Σ = 1.75.
    const expected = 0.5 * (3 + 2 - 2 - Math.log(1.75));
    expect(gaussianKlToStandard([1, -1], Float64Array.from([2, 0.5, 0.5, 1]), 2)).toBeCloseTo(expected, 12);
    expect(gaussianKlToStandard([0], Float64Array.from([0]), 1)).toBe(Number.POSITIVE_INFINITY);
  });
});
