import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from './errors.js';
import { createRng } from './random.js';
import { reparameterize, sampleDiagonalGaussian } from './reparameterize.js';
import { assertGradientClose } from './testing/finite-differences.js';
import { assertClose, assertFinite, assertNoLeaks } from './testing/index.js';

const MU = [
  [0.5, -2],
  [3, 0],
];
const LOG_VAR = [
  [0, Math.log(4)],
  [-2, 1.5],
];

describe('reparameterize', () => {
  it('is μ + exp(½ logVar)·ε for an explicit ε (float64 reference)', async () => {
    const mu = tf.tensor2d(MU);
    const logVar = tf.tensor2d(LOG_VAR);
    const eps = tf.tensor2d([
      [1, -0.5],
      [2, 0.25],
    ]);
    const z = await assertNoLeaks(() => reparameterize(mu, logVar, eps), 1);
    const e = await eps.array();
    const expected = MU.flatMap((r, b) => r.map((m, j) => m + Math.exp(0.5 * LOG_VAR[b]![j]!) * e[b]![j]!));
    await assertClose(z, expected, { atol: 1e-5, rtol: 1e-5 });
    tf.dispose([mu, logVar, eps, z]);
  });

  it('draws ε from an Rng: same seed, same z; the stream advances by batch·latentDim normals', async () => {
    const mu = tf.tensor2d(MU);
    const logVar = tf.tensor2d(LOG_VAR);
    const rng = createRng(8);
    const z = reparameterize(mu, logVar, rng);
    const eps = createRng(8).normal([2, 2]);
    const zFromEps = reparameterize(mu, logVar, eps);
    expect(Array.from(await z.data())).toEqual(Array.from(await zFromEps.data()));
    const probe = createRng(8);
    probe.normalArray(4);
    expect(rng.nextSeed()).toBe(probe.nextSeed());
    tf.dispose([mu, logVar, z, eps, zFromEps]);
  });

  it('samples have mean μ and variance exp(logVar) within 4 standard errors', async () => {
    const n = 20_000;
    const muRow = MU.flat();
    const vRow = LOG_VAR.flat();
    // 4 cells tested at 4 SE each: P(any false alarm) ≈ 4·6e−5 for a random seed; seeded, so never flaky.
    // n copies of the 2×2 (mu, logVar) rows: [2n, 2], so each of the 4 (row, j) cells gets n samples.
    const mu = tf.tile(tf.tensor2d(MU), [n, 1]) as tf.Tensor2D;
    const logVar = tf.tile(tf.tensor2d(LOG_VAR), [n, 1]) as tf.Tensor2D;
    const zT = reparameterize(mu, logVar, createRng(12));
    const zAll = await zT.data();
    zT.dispose();
    for (let j = 0; j < 4; j++) {
      const xs = Array.from({ length: n }, (_, i) => zAll[4 * i + j]!);
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
      const sigma2 = Math.exp(vRow[j]!);
      // SE of the mean σ/√n; SE of the sample variance of a Gaussian σ²·√(2/(n−1)).
      expect(Math.abs(mean - muRow[j]!)).toBeLessThan(4 * Math.sqrt(sigma2 / n));
      expect(Math.abs(variance - sigma2)).toBeLessThan(4 * sigma2 * Math.sqrt(2 / (n - 1)));
    }
    tf.dispose([mu, logVar]);
  });

  it('gradients with ε fixed match central finite differences: ∂z/∂μ = 1, ∂z/∂logVar = ½σε', async () => {
    const eps = [1.3, -0.7, 0.4, 2.1];
    const epsT = tf.tensor2d(eps, [2, 2]);
    const logVar = tf.tensor2d(LOG_VAR);
    const mu = tf.tensor2d(MU);
    const muFlat = MU.flat();
    const vFlat = LOG_VAR.flat();
    // Each check sums z over its elements; the float64 reference is the same sum.
    const sumZ = (m: ArrayLike<number>, v: ArrayLike<number>) =>
      eps.reduce((s, e, i) => s + m[i]! + Math.exp(0.5 * v[i]!) * e, 0);
    const dMu = await assertGradientClose(
      (m) => reparameterize(m as tf.Tensor2D, logVar, epsT),
      (m) => sumZ(m, vFlat),
      muFlat,
      [2, 2],
    );
    await assertClose(Array.from(dMu.analytic), [1, 1, 1, 1], { atol: 1e-6 });
    const dV = await assertGradientClose(
      (v) => reparameterize(mu, v as tf.Tensor2D, epsT),
      (v) => sumZ(muFlat, v),
      vFlat,
      [2, 2],
    );
    const closed = vFlat.map((v, i) => 0.5 * Math.exp(0.5 * v) * eps[i]!);
    // webgl's exp is less accurate than cpu/wasm: rtol 1e-4 there.
    await assertClose(Array.from(dV.analytic), closed, {
      atol: 1e-6,
      rtol: ['webgl', 'webgpu'].includes(tf.getBackend()) ? 1e-4 : 1e-5,
    });
    tf.dispose([epsT, logVar, mu]);
  });

  it('stays finite for logVar = ±100 (value and gradient)', async () => {
    const mu = tf.zeros([1, 2]) as tf.Tensor2D;
    const logVar = tf.tensor2d([[100, -100]]);
    const eps = tf.ones([1, 2]) as tf.Tensor2D;
    const z = reparameterize(mu, logVar, eps);
    await assertClose(z, [Math.exp(10), Math.exp(-15)], { rtol: 1e-5 }); // σ from the clamped logVar ∈ [−30, 20]
    const g = tf.grad((v) => tf.sum(reparameterize(mu, v as tf.Tensor2D, eps)))(logVar);
    await assertFinite(g);
    tf.dispose([mu, logVar, eps, z, g]);
  });

  it('rejects mismatched shapes and a missing ε source', () => {
    const mu = tf.zeros([2, 3]) as tf.Tensor2D;
    const eps = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => reparameterize(mu, mu, eps)).toThrow(ShapeError);
    expect(() => reparameterize(mu, mu, eps)).toThrow(/reparameterize.*eps/);
    expect(() => reparameterize(mu, eps, createRng(0))).toThrow(/reparameterize/);
    expect(() => reparameterize(mu, mu, undefined as unknown as tf.Tensor2D)).toThrow(ValueError);
    tf.dispose([mu, eps]);
  });
});

describe('doc examples', () => {
  it('reparameterize runs as documented', async () => {
    const mu = tf.tensor2d([[0, 1]]);
    const logVar = tf.tensor2d([[0, Math.log(4)]]);
    const eps = tf.tensor2d([[0.5, -1]]);
    const z = reparameterize(mu, logVar, eps);
    await assertClose(z, [0.5, -1], { atol: 1e-6 });
    const sampled = reparameterize(mu, logVar, createRng(0));
    expect(sampled.shape).toEqual([1, 2]);
    tf.dispose([mu, logVar, eps, z, sampled]);
  });
});

describe('sampleDiagonalGaussian', () => {
  it('gives [k, batch, d] samples μ + σ·ε with ε drawn in row-major order', async () => {
    const mu = tf.tensor2d(MU);
    const logVar = tf.tensor2d(LOG_VAR);
    const z = await assertNoLeaks(() => sampleDiagonalGaussian(mu, logVar, createRng(4), 3), 1);
    expect(z.shape).toEqual([3, 2, 2]);
    const eps = createRng(4).normalArray(12);
    const m = MU.flat();
    const v = LOG_VAR.flat();
    const expected = Array.from(eps, (e, i) => m[i % 4]! + Math.exp(0.5 * v[i % 4]!) * e);
    await assertClose(z, expected, { atol: 1e-5, rtol: 1e-5 });
    tf.dispose([mu, logVar, z]);
  });

  it('two draws of k₁ and k₂ equal one draw of k₁ + k₂', async () => {
    const mu = tf.tensor2d(MU);
    const logVar = tf.tensor2d(LOG_VAR);
    const rng = createRng(6);
    const parts = tf.concat([sampleDiagonalGaussian(mu, logVar, rng, 3), sampleDiagonalGaussian(mu, logVar, rng, 2)]);
    const whole = sampleDiagonalGaussian(mu, logVar, createRng(6), 5);
    expect(Array.from(await parts.data())).toEqual(Array.from(await whole.data()));
    expect(() => sampleDiagonalGaussian(mu, logVar, rng, 0)).toThrow(/sampleDiagonalGaussian.*k/);
    expect(() => sampleDiagonalGaussian(mu, logVar, rng, 2.5)).toThrow(ValueError);
    tf.dispose([mu, logVar, parts, whole]);
  });
});
