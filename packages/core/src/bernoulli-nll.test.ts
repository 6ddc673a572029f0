import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bernoulliNll } from './bernoulli-nll.js';
import { ShapeError } from './errors.js';
import { assertClose, assertFinite, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

// WebGL evaluates exp/log in float32 with less careful approximations than cpu/wasm.
const TOL = ['webgl', 'webgpu'].includes(tf.getBackend()) ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-5, rtol: 1e-5 };

/** −log p(x|l) from the definition, −x·log σ(l) − (1 − x)·log(1 − σ(l)), in float64 (fine for |l| ≤ 30). */
const bceDefinition = (x: number, l: number) => {
  const s = 1 / (1 + Math.exp(-l));
  return -x * Math.log(s) - (1 - x) * Math.log(1 - s);
};

/** Per-example sums of `term(x_i, l_i)` over `d` features, in float64. */
function perExample(x: ArrayLike<number>, l: ArrayLike<number>, d: number, term: (x: number, l: number) => number) {
  return Array.from({ length: x.length / d }, (_, b) => {
    let s = 0;
    for (let i = b * d; i < (b + 1) * d; i++) s += term(x[i]!, l[i]!);
    return s;
  });
}

describe('bernoulliNll', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('matches −x·log σ(l) − (1 − x)·log(1 − σ(l)) summed over all non-batch axes (rank 3, grey levels)', async () => {
    const shape = [4, 3, 5];
    const x = uniform(60, 1);
    const l = uniform(60, 2, -8, 8);
    const nll = bernoulliNll(tf.tensor(x, shape), tf.tensor(l, shape));
    expect(nll.shape).toEqual([4]);
    await assertClose(nll, perExample(x, l, 15, bceDefinition), TOL);
  });

  it('gives the documented example value', async () => {
    const nll = bernoulliNll(tf.tensor2d([[1, 0, 0.5]]), tf.tensor2d([[2, -1, 0]]));
    await assertClose(nll, [Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.LN2], TOL);
  });

  it('has gradient σ(l) − x with respect to the logits, checked against finite differences', async () => {
    const shape = [3, 4];
    const x = uniform(12, 3);
    const l = uniform(12, 4, -5, 5);
    const w = uniform(3, 5, 0.5, 2); // non-uniform upstream gradient per example
    const f = (t: tf.Tensor) => tf.mul(bernoulliNll(tf.tensor(x, shape), t), tf.tensor(w));
    const ref = (lv: Float64Array) => perExample(x, lv, 4, bceDefinition).reduce((s, v, b) => s + w[b]! * v, 0);
    const { analytic } = await assertGradientClose(f, ref, l, shape);
    const sigmoidMinusX = Array.from(l, (li, i) => w[Math.floor(i / 4)]! * (1 / (1 + Math.exp(-li)) - x[i]!));
    await assertClose(analytic, sigmoidMinusX, { atol: 1e-5, rtol: 1e-4 });
  });

  it('has gradient −l with respect to x, checked against finite differences', async () => {
    const shape = [2, 3];
    const x = uniform(6, 6);
    const l = uniform(6, 7, -4, 4);
    const f = (t: tf.Tensor) => bernoulliNll(t, tf.tensor(l, shape));
    const ref = (xv: Float64Array) => perExample(xv, l, 3, bceDefinition).reduce((s, v) => s + v, 0);
    await assertGradientClose(f, ref, x, shape);
  });

  it('takes the gradient ½ − x at logit 0, where relu and abs have their kinks (tfjs: relu′(0) = 0, abs′(0) = −1)', async () => {
    const x = [0, 0.25, 1];
    const g = tf.grad((t: tf.Tensor) => tf.sum(bernoulliNll(tf.tensor2d([x]), t)))(tf.zeros([1, 3]));
    await assertClose(g, [0.5, 0.25, -0.5], { atol: 1e-6 });
  });

  it('stays finite and exact for logits ±100: value → 100·(1 − x) or 100·x, gradient → 1 − x or −x', async () => {
    const x = [0, 1, 0.3, 0, 1, 0.3];
    const l = [100, 100, 100, -100, -100, -100];
    const xt = tf.tensor2d(x, [6, 1]);
    const lt = tf.tensor2d(l, [6, 1]);
    const nll = bernoulliNll(xt, lt);
    await assertClose(nll, [100, 0, 70, 0, 100, 30], { atol: 1e-4, rtol: 1e-5 });
    const g = tf.grad((t: tf.Tensor) => tf.sum(bernoulliNll(xt, t)))(lt);
    await assertFinite(g, 'gradient at ±100');
    await assertClose(g, [1, 0, 0.7, 0, -1, -0.3], { atol: 1e-6 });
  });

  it('sums every feature axis of a rank-3 input, its closed-form gradient σ(l) − x included', async () => {
    const shape = [3, 1, 5];
    const x = uniform(15, 8);
    const l = uniform(15, 9, -4, 4);
    const g = tf.grad((t: tf.Tensor) => bernoulliNll(tf.tensor(x, shape), t))(tf.tensor(l, shape));
    expect(g.shape).toEqual(shape);
    await assertClose(
      g,
      Array.from(l, (li, i) => 1 / (1 + Math.exp(-li)) - x[i]!),
      { atol: 1e-6 },
    );
  });

  it('keeps float32 accuracy on MNIST-sized rows with logits in [−30, 30) (the −log σ(|l|) form)', async () => {
    const [b, d] = [4, 784];
    const x = uniform(b * d, 10);
    const l = uniform(b * d, 11, -30, 30);
    // Float64 reference in the stable form max(l, 0) − l·x + log1p(exp(−|l|)).
    const stable = (xi: number, li: number) => Math.max(li, 0) - li * xi + Math.log1p(Math.exp(-Math.abs(li)));
    // Sums of 784 float32 terms of size ≈ 10: a few ulps of the ≈ 6 000-nat total.
    await assertClose(bernoulliNll(tf.tensor2d(x, [b, d]), tf.tensor2d(l, [b, d])), perExample(x, l, d, stable), {
      atol: 1e-3,
      rtol: 2e-6,
    });
  });

  it('accepts int32 binary data', async () => {
    const nll = bernoulliNll(tf.tensor2d([[1, 0]], [1, 2], 'int32'), tf.tensor2d([[0.5, 0.5]]));
    await assertClose(nll, [bceDefinition(1, 0.5) + bceDefinition(0, 0.5)], TOL);
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.tensor2d([[0.2, 0.9]]);
    const l = tf.tensor2d([[1, -3]]);
    const out = await assertNoLeaks(() => bernoulliNll(x, l), 1);
    out.dispose();
    const g = await assertNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(bernoulliNll(x, t)))(l), 1);
    g.dispose();
  });

  it('throws a ShapeError naming bernoulliNll for mismatched shapes or rank < 2', () => {
    const cases: Array<[tf.Tensor, tf.Tensor]> = [
      [tf.zeros([2, 3]), tf.zeros([2, 4])],
      [tf.zeros([2, 3]), tf.zeros([3, 2])],
      [tf.zeros([3]), tf.zeros([3])],
      [tf.zeros([2, 3, 1]), tf.zeros([2, 3])],
    ];
    for (const [x, l] of cases) {
      expect(() => bernoulliNll(x, l)).toThrow(ShapeError);
      expect(() => bernoulliNll(x, l)).toThrow(/^Error in bernoulliNll: .*expected .*found /);
    }
  });
});
