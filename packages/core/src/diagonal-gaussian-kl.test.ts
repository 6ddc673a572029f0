import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagonalGaussianKl } from './diagonal-gaussian-kl.js';
import { ShapeError } from './errors.js';
import { gaussianKl } from './gaussian-kl.js';
import { LOG_VAR_RANGE } from './log-var.js';
import { assertClose, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

// GPU backends (webgl, webgpu): float32 with less careful transcendental functions (expm1 as exp(v) − 1).
const gpu = ['webgl', 'webgpu'].includes(tf.getBackend());
// WebGL's exp is a float32 approximation less careful than cpu/wasm's.
const TOL = gpu ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-5, rtol: 1e-5 };

/** ½ Σ_j (log σ2²/σ1² + (σ1² + (μ1 − μ2)²)/σ2² − 1) per example, float64, as docs/math.md §4 writes it. */
function kl64(m1: ArrayLike<number>, v1: ArrayLike<number>, m2: ArrayLike<number>, v2: ArrayLike<number>, d: number) {
  return Array.from({ length: m1.length / d }, (_, b) => {
    let s = 0;
    for (let j = b * d; j < (b + 1) * d; j++) {
      const s1 = Math.exp(v1[j]!);
      const s2 = Math.exp(v2[j]!);
      s += 0.5 * (Math.log(s2 / s1) + (s1 + (m1[j]! - m2[j]!) ** 2) / s2 - 1);
    }
    return s;
  });
}

describe('diagonalGaussianKl', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  const [B, D] = [4, 6];
  const p = [
    uniform(B * D, 41, -2, 2),
    uniform(B * D, 42, -3, 2),
    uniform(B * D, 43, -2, 2),
    uniform(B * D, 44, -3, 2),
  ];
  const [mu1, logVar1, mu2, logVar2] = p as [Float32Array, Float32Array, Float32Array, Float32Array];
  const t2 = (a: Float32Array) => tf.tensor2d(a, [B, D]);

  it('matches the closed form on random inputs', async () => {
    const kl = diagonalGaussianKl(t2(mu1), t2(logVar1), t2(mu2), t2(logVar2));
    expect(kl.shape).toEqual([B]);
    // Relative to the terms' size (exp(2)/exp(−3) ≈ 150): cancellation in float32 on every backend.
    await assertClose(
      kl,
      kl64(mu1, logVar1, mu2, logVar2, D),
      gpu ? { atol: 1e-3, rtol: 1e-4 } : { atol: 1e-4, rtol: 1e-5 },
    );
  });

  it('gives the documented example value', async () => {
    const zero = tf.zeros([1, 1]) as tf.Tensor2D;
    const kl = diagonalGaussianKl(tf.tensor2d([[1]]), zero, zero, tf.tensor2d([[Math.log(4)]]));
    await assertClose(kl, [0.5 * (Math.log(4) + 2 / 4 - 1)], TOL);
  });

  it('is 0 for KL(q ‖ q) and ≥ 0 otherwise', async () => {
    await assertClose(diagonalGaussianKl(t2(mu1), t2(logVar1), t2(mu1), t2(logVar1)), [0, 0, 0, 0], { atol: 1e-6 });
    const klT = diagonalGaussianKl(t2(mu1), t2(logVar1), t2(mu2), t2(logVar2));
    const kl = await klT.data();
    klT.dispose();
    expect(Array.from(kl).every((v) => v >= 0)).toBe(true);
  });

  it('equals gaussianKl when the second Gaussian is the prior (0, 0)', async () => {
    const zeros = tf.zeros([B, D]) as tf.Tensor2D;
    await assertClose(diagonalGaussianKl(t2(mu1), t2(logVar1), zeros, zeros), gaussianKl(t2(mu1), t2(logVar1)), TOL);
  });

  it('has gradients matching finite differences with respect to all four inputs', async () => {
    const w = uniform(B, 45, 0.5, 2);
    const weighted = (kl: number[]) => kl.reduce((s, v, b) => s + w[b]! * v, 0);
    // WebGL's exp: relative error ~1e-6 on terms up to exp(5) ≈ 150.
    const tol = gpu ? { atol: 1e-3, rtol: 2e-3 } : {};
    for (let k = 0; k < 4; k++) {
      const f = (t: tf.Tensor) => {
        const args = p.map((a, i) => (i === k ? (t as tf.Tensor2D) : t2(a))) as [
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
        ];
        return tf.mul(diagonalGaussianKl(...args), tf.tensor1d(w));
      };
      const ref = (x: Float64Array) => {
        const a = p.map((q, i) => (i === k ? x : q));
        return weighted(kl64(a[0]!, a[1]!, a[2]!, a[3]!, D));
      };
      await assertGradientClose(f, ref, p[k]!, [B, D], { ...tol, label: ['μ1', 'logVar1', 'μ2', 'logVar2'][k] });
    }
  });

  it('stays finite for raw logVars of ±100, with the value at the clamp bounds', async () => {
    const raw1 = [100, -100, 100, -100];
    const raw2 = [-100, 100, 100, -100];
    const m1 = [1, 0.5, 0, -1];
    const m2 = [0, 0, 0.5, 2];
    const clamp = (v: number) => Math.min(LOG_VAR_RANGE.max, Math.max(LOG_VAR_RANGE.min, v));
    const kl = diagonalGaussianKl(
      tf.tensor2d(m1, [4, 1]),
      tf.tensor2d(raw1, [4, 1]),
      tf.tensor2d(m2, [4, 1]),
      tf.tensor2d(raw2, [4, 1]),
    );
    // Values up to e^50 ≈ 5e21: only relative accuracy is meaningful.
    await assertClose(kl, kl64(m1, raw1.map(clamp), m2, raw2.map(clamp), 1), { atol: 1e-3, rtol: gpu ? 1e-3 : 1e-5 });
  });

  it('leaks no tensors, forward or backward', async () => {
    const a = tf.tensor2d([[0.1, 0.2]]);
    const b = tf.tensor2d([[-1, 1]]);
    (await assertNoLeaks(() => diagonalGaussianKl(a, b, b, a), 1)).dispose();
    const g = await assertNoLeaks(
      () => tf.grad((t: tf.Tensor) => tf.sum(diagonalGaussianKl(a, b, t as tf.Tensor2D, a)))(b),
      1,
    );
    g.dispose();
  });

  it('throws a ShapeError naming diagonalGaussianKl for a rank ≠ 2 or mismatched shapes', () => {
    const ok = tf.zeros([2, 3]) as tf.Tensor2D;
    const bad = [[6], [2, 4], [3, 3], [2, 3, 1]].map((shape) => tf.zeros(shape) as tf.Tensor as tf.Tensor2D);
    for (const b of bad) {
      for (let k = 0; k < 4; k++) {
        const args = [ok, ok, ok, ok].map((t, i) => (i === k ? b : t)) as [
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
        ];
        expect(() => diagonalGaussianKl(...args)).toThrow(ShapeError);
        expect(() => diagonalGaussianKl(...args)).toThrow(/^Error in diagonalGaussianKl: .*expected/);
      }
    }
  });
});
