import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { gaussianKl, gaussianKlPerDim } from './gaussian-kl.js';
import { LOG_VAR_RANGE } from './log-var.js';
import { assertClose, assertFinite, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

// GPU backends (webgl, webgpu): float32 with less careful transcendental functions (expm1 as exp(v) − 1).
const gpu = ['webgl', 'webgpu'].includes(tf.getBackend());
// WebGL's exp is a float32 approximation less careful than cpu/wasm's.
const TOL = gpu ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-5, rtol: 1e-5 };

/** −½ (1 + v − μ² − exp(v)) per element, float64, exactly as docs/math.md §4 writes it. */
const kl64 = (mu: number, v: number) => -0.5 * (1 + v - mu * mu - Math.exp(v));
const perExample = (mu: ArrayLike<number>, v: ArrayLike<number>, d: number) =>
  Array.from({ length: mu.length / d }, (_, b) => {
    let s = 0;
    for (let j = b * d; j < (b + 1) * d; j++) s += kl64(mu[j]!, v[j]!);
    return s;
  });

describe('gaussianKl / gaussianKlPerDim', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  const [B, D] = [5, 7];
  const mu = uniform(B * D, 31, -2, 2);
  const logVar = uniform(B * D, 32, -4, 3);

  it('match −½ Σ_j (1 + logVar − μ² − exp(logVar)) on random inputs, per example and per dimension', async () => {
    const kl = gaussianKl(tf.tensor2d(mu, [B, D]), tf.tensor2d(logVar, [B, D]));
    const perDim = gaussianKlPerDim(tf.tensor2d(mu, [B, D]), tf.tensor2d(logVar, [B, D]));
    expect(kl.shape).toEqual([B]);
    expect(perDim.shape).toEqual([B, D]);
    await assertClose(kl, perExample(mu, logVar, D), TOL);
    await assertClose(
      perDim,
      Array.from(mu, (m, j) => kl64(m, logVar[j]!)),
      TOL,
    );
  });

  it('give the documented example values, and 0 at the prior', async () => {
    await assertClose(
      gaussianKl(
        tf.tensor2d([
          [1, 0],
          [0, 0],
        ]),
        tf.zeros([2, 2]) as tf.Tensor2D,
      ),
      [0.5, 0],
      TOL,
    );
    await assertClose(
      gaussianKlPerDim(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(2)]])),
      [0.5, 0.5 - 0.5 * Math.LN2],
      TOL,
    );
  });

  it('stay accurate near logVar = 0, where exp(v) − 1 − v ≈ v²/2 is a small difference', async () => {
    const v = [1e-3, -2e-3, 5e-4, 3e-3];
    const kl = gaussianKlPerDim(tf.zeros([1, 4]) as tf.Tensor2D, tf.tensor2d([v]));
    // cpu and wasm evaluate expm1 directly (relative error ~1e-7); WebGL and WebGPU compute it as exp(v) − 1 in float32,
    // whose absolute error is ~1 ulp of 1 ≈ 1.2e-7, so there only an absolute bound holds.
    await assertClose(
      kl,
      v.map((x) => 0.5 * (Math.expm1(x) - x)),
      gpu ? { atol: 2e-7, rtol: 0 } : { atol: 0, rtol: 1e-3 },
    );
  });

  it('have gradients ∂KL/∂μ = μ and ∂KL/∂logVar = ½(exp(logVar) − 1), checked against finite differences', async () => {
    const w = uniform(B, 33, 0.5, 2); // non-uniform upstream gradient per example
    const weighted = (kl: number[]) => kl.reduce((s, v, b) => s + w[b]! * v, 0);
    const wt = tf.tensor1d(w);
    const gMu = await assertGradientClose(
      (t) => tf.mul(gaussianKl(t as tf.Tensor2D, tf.tensor2d(logVar, [B, D])), wt),
      (m) => weighted(perExample(m, logVar, D)),
      mu,
      [B, D],
      { label: '∂KL/∂μ' },
    );
    const gLogVar = await assertGradientClose(
      (t) => tf.mul(gaussianKl(tf.tensor2d(mu, [B, D]), t as tf.Tensor2D), wt),
      (v) => weighted(perExample(mu, v, D)),
      logVar,
      [B, D],
      { label: '∂KL/∂logVar', ...(gpu ? { atol: 1e-3, rtol: 2e-3 } : {}) }, // exp(3) ≈ 20 with WebGL's exp
    );
    const wj = (j: number) => w[Math.floor(j / D)]!;
    await assertClose(
      gMu.analytic,
      Array.from(mu, (m, j) => wj(j) * m),
      { atol: 1e-6, rtol: 1e-5, label: 'μ' },
    );
    await assertClose(
      gLogVar.analytic,
      Array.from(logVar, (v, j) => wj(j) * 0.5 * Math.expm1(v)),
      { atol: 1e-5, rtol: gpu ? 1e-3 : 1e-5, label: '½(exp(logVar) − 1)' },
    );
  });

  it('stay finite for raw logVar of ±100: the value is that at the clamp bound, the logVar gradient 0 beyond it', async () => {
    const m = [0.5, -1, 2, 0];
    const raw = [100, -100, 1e4, -1e4];
    const clamped = raw.map((v) => Math.min(LOG_VAR_RANGE.max, Math.max(LOG_VAR_RANGE.min, v)));
    const muT = tf.tensor2d([m]);
    const vT = tf.tensor2d([raw]);
    const perDim = gaussianKlPerDim(muT, vT);
    await assertClose(
      perDim,
      m.map((x, j) => kl64(x, clamped[j]!)),
      { atol: 1e-4, rtol: gpu ? 1e-4 : 1e-6 },
    );
    const [gMu, gV] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(gaussianKl(a as tf.Tensor2D, b as tf.Tensor2D)))([
      muT,
      vT,
    ]);
    await assertFinite(gMu!, 'gradient w.r.t. μ');
    await assertClose(gMu!, m, { atol: 1e-6 });
    await assertClose(gV!, [0, 0, 0, 0], { atol: 0 });
  });

  it('leak no tensors, forward or backward', async () => {
    const m = tf.tensor2d([[0.1, 0.2]]);
    const v = tf.tensor2d([[-1, 1]]);
    (await assertNoLeaks(() => gaussianKl(m, v), 1)).dispose();
    (await assertNoLeaks(() => gaussianKlPerDim(m, v), 1)).dispose();
    const g = await assertNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(gaussianKl(m, t as tf.Tensor2D)))(v), 1);
    g.dispose();
  });

  it('throw a ShapeError naming the function for a rank ≠ 2 or mismatched mu and logVar', () => {
    for (const [fn, name] of [
      [gaussianKl, 'gaussianKl'],
      [gaussianKlPerDim, 'gaussianKlPerDim'],
    ] as const) {
      const bad: Array<[tf.Tensor, tf.Tensor]> = [
        [tf.zeros([4]), tf.zeros([4])],
        [tf.zeros([2, 3, 1]), tf.zeros([2, 3, 1])],
        [tf.zeros([2, 3]), tf.zeros([2, 4])],
        [tf.zeros([2, 3]), tf.zeros([3, 3])],
      ];
      for (const [m, v] of bad) {
        expect(() => fn(m as tf.Tensor2D, v as tf.Tensor2D)).toThrow(ShapeError);
        expect(() => fn(m as tf.Tensor2D, v as tf.Tensor2D)).toThrow(new RegExp(`^Error in ${name}: .*expected`));
      }
    }
  });
});
