import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from './errors.js';
import { gaussianNll, gaussianReconstructionLoss } from './gaussian-nll.js';
import { assertClose, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

// WebGL sums and logs in float32 with less careful rounding than cpu/wasm.
const TOL = ['webgl', 'webgpu'].includes(tf.getBackend()) ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-5, rtol: 1e-5 };

/** −log N(x; m, c·I) per example, from the density: −Σ_i log[(2πc)^{−½} exp(−(x_i − m_i)²/(2c))], float64. */
const nll64 = (x: ArrayLike<number>, m: ArrayLike<number>, d: number, c: number) =>
  Array.from({ length: x.length / d }, (_, b) => {
    let s = 0;
    for (let i = b * d; i < (b + 1) * d; i++) {
      s -= Math.log(Math.exp(-((x[i]! - m[i]!) ** 2) / (2 * c)) / Math.sqrt(2 * Math.PI * c));
    }
    return s;
  });

describe('gaussianNll / gaussianReconstructionLoss', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('gaussianNll is −log N(x; mean, c·I) summed over every non-batch axis', async () => {
    const shape = [3, 2, 4];
    const x = uniform(24, 21);
    const m = uniform(24, 22, -0.5, 1.5);
    for (const c of [0.7, 0.05, 3]) {
      const nll = gaussianNll(tf.tensor(x, shape), tf.tensor(m, shape), c);
      expect(nll.shape).toEqual([3]);
      await assertClose(nll, nll64(x, m, 8, c), TOL);
    }
  });

  it('gaussianReconstructionLoss is C·‖x − mean‖², equal to gaussianNll minus (D/2)·log(2πc) at C = 1/(2c)', async () => {
    const shape = [4, 6];
    const x = uniform(24, 23);
    const m = uniform(24, 24);
    const c = 0.2;
    const loss = gaussianReconstructionLoss(tf.tensor(x, shape), tf.tensor(m, shape), 1 / (2 * c));
    await assertClose(
      loss,
      nll64(x, m, 6, c).map((v) => v - 3 * Math.log(2 * Math.PI * c)),
      TOL,
    );
  });

  it('give the documented example values', async () => {
    const x = tf.tensor2d([[1, 2]]);
    const mean = tf.tensor2d([[0, 0]]);
    await assertClose(gaussianNll(x, mean, 0.5), [5 + Math.log(Math.PI)], TOL);
    await assertClose(gaussianReconstructionLoss(x, mean, 0.5), [2.5], TOL);
  });

  it('gaussianNll has gradient (mean − x)/c with respect to the mean, checked against finite differences', async () => {
    const shape = [3, 5];
    const x = uniform(15, 25);
    const m = uniform(15, 26);
    const w = uniform(3, 27, 0.5, 2);
    const c = 0.3;
    const f = (t: tf.Tensor) => tf.mul(gaussianNll(tf.tensor(x, shape), t, c), tf.tensor(w));
    const ref = (mv: Float64Array) => nll64(x, mv, 5, c).reduce((s, v, b) => s + w[b]! * v, 0);
    const { analytic } = await assertGradientClose(f, ref, m, shape);
    const closed = Array.from(m, (mi, i) => (w[Math.floor(i / 5)]! * (mi - x[i]!)) / c);
    await assertClose(analytic, closed, { atol: 1e-5, rtol: 1e-4 });
  });

  it('leak no tensors', async () => {
    const x = tf.ones([2, 3]);
    const m = tf.zeros([2, 3]);
    (await assertNoLeaks(() => gaussianNll(x, m, 1), 1)).dispose();
    (await assertNoLeaks(() => gaussianReconstructionLoss(x, m, 1), 1)).dispose();
    const g = await assertNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(gaussianNll(x, t, 2)))(m), 1);
    g.dispose();
  });

  it('throw a ValueError naming the function unless c or C is finite and > 0', () => {
    const x = tf.zeros([2, 3]);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => gaussianNll(x, x, bad)).toThrow(ValueError);
      expect(() => gaussianNll(x, x, bad)).toThrow(/^Error in gaussianNll: c .*expected a finite number > 0/);
      expect(() => gaussianReconstructionLoss(x, x, bad)).toThrow(ValueError);
      expect(() => gaussianReconstructionLoss(x, x, bad)).toThrow(/^Error in gaussianReconstructionLoss: C /);
    }
  });

  it('throw a ShapeError naming the function for mismatched shapes or rank < 2', () => {
    for (const [fn, name] of [
      [gaussianNll, 'gaussianNll'],
      [gaussianReconstructionLoss, 'gaussianReconstructionLoss'],
    ] as const) {
      expect(() => fn(tf.zeros([2, 3]), tf.zeros([2, 3, 1]), 1)).toThrow(ShapeError);
      expect(() => fn(tf.zeros([3]), tf.zeros([3]), 1)).toThrow(ShapeError);
      expect(() => fn(tf.zeros([2, 3]), tf.zeros([3, 2]), 1)).toThrow(new RegExp(`^Error in ${name}: x and mean`));
    }
  });
});
