import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from './errors.js';
import { klWarmup } from './kl-schedule.js';
import { DEFAULT_ELBO_OPTIONS, type ElboOptions, negativeElbo } from './negative-elbo.js';
import { assertClose, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

// GPU backends (webgl, webgpu): float32 with less careful transcendental functions (expm1 as exp(v) − 1).
const gpu = ['webgl', 'webgpu'].includes(tf.getBackend());
// WebGL's exp/log are float32 approximations less careful than cpu/wasm's.
const TOL = gpu ? { atol: 2e-4, rtol: 1e-4 } : { atol: 2e-5, rtol: 1e-5 };

// Float64 references, written from the definitions (docs/math.md §4), independent of the code under test.
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const rows = (a: ArrayLike<number>, d: number) =>
  Array.from({ length: a.length / d }, (_, b) => Array.from({ length: d }, (_, i) => a[b * d + i]!));
const bce = (x: number, l: number) =>
  -x * Math.log(1 / (1 + Math.exp(-l))) - (1 - x) * Math.log(1 - 1 / (1 + Math.exp(-l)));
const klDim = (m: number, v: number) => -0.5 * (1 + v - m * m - Math.exp(v));
const klPerDim64 = (mu: ArrayLike<number>, lv: ArrayLike<number>, d: number) =>
  rows(mu, d).map((r, b) => r.map((m, j) => klDim(m, lv[b * d + j]!)));

const [B, F, D] = [6, 10, 4]; // batch, features, latent dimensions
const x = uniform(B * F, 51);
const logits = uniform(B * F, 52, -4, 4);
const mu = uniform(B * D, 53, -1.5, 1.5);
const logVar = uniform(B * D, 54, -2, 1);
const recBernoulli = mean(rows(x, F).map((r, b) => r.reduce((s, xi, i) => s + bce(xi, logits[b * F + i]!), 0)));
const kl = mean(klPerDim64(mu, logVar, D).map((r) => r.reduce((s, v) => s + v, 0)));

describe('negativeElbo', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  const args = () =>
    [
      tf.tensor2d(x, [B, F]),
      tf.tensor2d(logits, [B, F]),
      tf.tensor2d(mu, [B, D]),
      tf.tensor2d(logVar, [B, D]),
    ] as const;

  it('defaults to the plain ELBO with a Bernoulli decoder, in a frozen object', async () => {
    expect(DEFAULT_ELBO_OPTIONS).toEqual({ decoder: 'bernoulli', beta: 1, freeBits: 0 });
    expect(Object.isFrozen(DEFAULT_ELBO_OPTIONS)).toBe(true);
    const t = negativeElbo(...args());
    expect(t.total.rank).toBe(0);
    await assertClose(t.reconstruction, recBernoulli, TOL);
    await assertClose(t.kl, kl, TOL);
    await assertClose(t.total, recBernoulli + kl, TOL);
  });

  it('weights the KL by beta: total = reconstruction + β·kl', async () => {
    for (const beta of [0, 0.3, klWarmup(700, { warmupSteps: 1000, betaMax: 4 })]) {
      const t = negativeElbo(...args(), { beta });
      await assertClose(t.kl, kl, TOL);
      await assertClose(t.total, recBernoulli + beta * kl, TOL);
      await assertClose(t.total, (await t.reconstruction.data())[0]! + beta * (await t.kl.data())[0]!, TOL);
    }
  });

  it('uses −log N(x; mean, c·I) with a variance c and C·‖x − mean‖² with a weight C', async () => {
    const [xt, meanT, m, v] = args();
    const sq = rows(x, F).map((r, b) => r.reduce((s, xi, i) => s + (xi - logits[b * F + i]!) ** 2, 0));
    const c = 0.4;
    const withC = negativeElbo(xt, meanT, m, v, { decoder: 'gaussian', c });
    await assertClose(
      withC.reconstruction,
      mean(sq.map((s) => s / (2 * c) + (F / 2) * Math.log(2 * Math.PI * c))),
      TOL,
    );
    const withWeight = negativeElbo(xt, meanT, m, v, { decoder: 'gaussian', C: 3, beta: 2 });
    await assertClose(withWeight.reconstruction, mean(sq.map((s) => 3 * s)), TOL);
    await assertClose(withWeight.total, mean(sq.map((s) => 3 * s)) + 2 * kl, TOL);
  });

  it('composes a learned variance (logC) with β and free bits, its gradient in logC by finite differences', async () => {
    const [xt, meanT, m, v] = args();
    const sq = rows(x, F).map((r, b) => r.reduce((s, xi, i) => s + (xi - logits[b * F + i]!) ** 2, 0));
    const rec = (c: number) => mean(sq.map((s) => s / (2 * c) + (F / 2) * Math.log(2 * Math.PI * c)));
    const perDim = [0, 1, 2, 3].map((j) => mean(klPerDim64(mu, logVar, D).map((r) => r[j]!)));
    const lambda = [...perDim].sort((a, b) => a - b)[1]! + 0.01;
    const floored = perDim.reduce((s, k) => s + Math.max(lambda, k), 0);
    const o = { decoder: 'gaussian' as const, beta: 0.6, freeBits: lambda };
    const t = negativeElbo(xt, meanT, m, v, { ...o, logC: tf.scalar(Math.log(0.7)) });
    await assertClose(t.reconstruction, rec(0.7), TOL);
    await assertClose(t.kl, floored, TOL);
    await assertClose(t.total, rec(0.7) + 0.6 * floored, TOL);
    const f = (lc: tf.Tensor) => negativeElbo(xt, meanT, m, v, { ...o, logC: tf.reshape(lc, []) as tf.Scalar }).total;
    await assertGradientClose(f, (lc) => rec(Math.exp(lc[0]!)), [Math.log(0.7)], [1], gpu ? { atol: 1e-2 } : {});
  });

  it('floors the batch-averaged KL of each dimension at λ with free bits', async () => {
    const perDim = [0, 1, 2, 3].map((j) => mean(klPerDim64(mu, logVar, D).map((r) => r[j]!)));
    const lambda = [...perDim].sort((a, b) => a - b)[1]! + 0.01; // two dimensions under the floor, two over
    const t = negativeElbo(...args(), { freeBits: lambda, beta: 0.5 });
    const floored = perDim.reduce((s, k) => s + Math.max(lambda, k), 0);
    expect(floored).toBeGreaterThan(kl);
    await assertClose(t.kl, floored, TOL);
    await assertClose(t.total, recBernoulli + 0.5 * floored, TOL);
  });

  it('passes no KL gradient to μ once every dimension sits under the free-bits floor', async () => {
    const [xt, l, , v] = args();
    const g = tf.grad((m: tf.Tensor) => negativeElbo(xt, l, m as tf.Tensor2D, v, { freeBits: 100 }).total)(
      tf.tensor2d(mu, [B, D]),
    );
    await assertClose(g, new Array(B * D).fill(0), { atol: 0 });
  });

  it('has a total whose gradient matches finite differences, with free bits partly active', async () => {
    const perDim = [0, 1, 2, 3].map((j) => mean(klPerDim64(mu, logVar, D).map((r) => r[j]!)));
    const lambda = [...perDim].sort((a, b) => a - b)[1]! + 0.05;
    const [xt, l, m] = args();
    const ref = (lv: Float64Array) => {
      const k = [0, 1, 2, 3].map((j) => mean(klPerDim64(mu, lv, D).map((r) => r[j]!)));
      return recBernoulli + 0.7 * k.reduce((s, kj) => s + Math.max(lambda, kj), 0);
    };
    const f = (v: tf.Tensor) => negativeElbo(xt, l, m, v as tf.Tensor2D, { beta: 0.7, freeBits: lambda }).total;
    await assertGradientClose(f, ref, logVar, [B, D], gpu ? { atol: 1e-3, rtol: 2e-3 } : {});
  });

  it('leaks no tensors: it returns exactly its three scalars', async () => {
    const a = args();
    const t = await assertNoLeaks(() => negativeElbo(...a, { freeBits: 0.1 }), 3);
    tf.dispose([t.reconstruction, t.kl, t.total]);
    const g = await assertNoLeaks(() => tf.grad((l: tf.Tensor) => negativeElbo(a[0], l, a[2], a[3]).total)(a[1]), 1);
    g.dispose();
  });

  it('throws a ValueError naming negativeElbo for bad options', () => {
    const bad: Array<Partial<ElboOptions>> = [
      { decoder: 'poisson' as ElboOptions['decoder'] },
      { decoder: 'gaussian' },
      { decoder: 'gaussian', c: 1, C: 0.5 },
      { decoder: 'bernoulli', c: 1 },
      { decoder: 'gaussian', c: 1, logC: tf.scalar(0) },
      { decoder: 'gaussian', c: 0 },
      { decoder: 'gaussian', c: -1 },
      { decoder: 'gaussian', C: Number.NaN },
      { beta: -0.1 },
      { beta: Number.NaN },
      { freeBits: Number.NaN },
      { freeBits: -1 },
    ];
    const a = args();
    for (const o of bad) {
      expect(() => negativeElbo(...a, o), JSON.stringify(o)).toThrow(ValueError);
      expect(() => negativeElbo(...a, o), JSON.stringify(o)).toThrow(/^Error in negativeElbo: /);
    }
  });

  it('throws a ShapeError naming negativeElbo for mismatched or wrongly ranked inputs', () => {
    const z = (...shape: number[]) => tf.zeros(shape) as tf.Tensor as tf.Tensor2D;
    const bad: Array<[tf.Tensor, tf.Tensor, tf.Tensor2D, tf.Tensor2D]> = [
      [z(2, 5), z(2, 6), z(2, 3), z(2, 3)], // x vs decoded
      [z(5), z(5), z(5, 3), z(5, 3)], // x rank 1
      [z(2, 5), z(2, 5), z(2, 3, 1), z(2, 3, 1)], // mu rank 3
      [z(2, 5), z(2, 5), z(2, 3), z(2, 4)], // mu vs logVar
      [z(2, 5), z(2, 5), z(3, 3), z(3, 3)], // batch of x vs batch of mu
      [z(0, 5), z(0, 5), z(0, 3), z(0, 3)], // empty batch
    ];
    for (const [xb, d, m, v] of bad) {
      expect(() => negativeElbo(xb, d, m, v)).toThrow(ShapeError);
      expect(() => negativeElbo(xb, d, m, v)).toThrow(/^Error in negativeElbo: /);
    }
  });
});
