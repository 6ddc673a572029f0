import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { batchMean, meanSquaredError, sumSquaredError } from './squared-error.js';
import { assertClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

const TOL = ['webgl', 'webgpu'].includes(tf.getBackend()) ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-5, rtol: 1e-5 };

/** Per-example Σ_i (x_i − y_i)² over `d` features, in float64. */
const sse64 = (x: Float32Array, y: Float32Array, d: number) =>
  Array.from({ length: x.length / d }, (_, b) => {
    let s = 0;
    for (let i = b * d; i < (b + 1) * d; i++) s += (x[i]! - y[i]!) ** 2;
    return s;
  });

describe('sumSquaredError / meanSquaredError', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('sum and average the squared error over every non-batch axis (rank 4)', async () => {
    const shape = [3, 2, 2, 5];
    const x = uniform(60, 11);
    const y = uniform(60, 12, -1, 2);
    const sse = sumSquaredError(tf.tensor(x, shape), tf.tensor(y, shape));
    const mse = meanSquaredError(tf.tensor(x, shape), tf.tensor(y, shape));
    expect(sse.shape).toEqual([3]);
    expect(mse.shape).toEqual([3]);
    await assertClose(sse, sse64(x, y, 20), TOL);
    await assertClose(
      mse,
      sse64(x, y, 20).map((s) => s / 20),
      TOL,
    );
  });

  it('give the documented example values', async () => {
    const x = tf.tensor2d([
      [0, 1],
      [1, 1],
    ]);
    const xHat = tf.tensor2d([
      [0, 0],
      [1, 3],
    ]);
    await assertClose(sumSquaredError(x, xHat), [1, 4], TOL);
    await assertClose(meanSquaredError(x, xHat), [0.5, 2], TOL);
  });

  it('leak no tensors', async () => {
    const x = tf.ones([2, 3]);
    const y = tf.zeros([2, 3]);
    (await assertNoLeaks(() => sumSquaredError(x, y), 1)).dispose();
    (await assertNoLeaks(() => meanSquaredError(x, y), 1)).dispose();
  });

  it('throw a ShapeError naming the function for mismatched shapes or rank < 2', () => {
    for (const [fn, name] of [
      [sumSquaredError, 'sumSquaredError'],
      [meanSquaredError, 'meanSquaredError'],
    ] as const) {
      expect(() => fn(tf.zeros([2, 3]), tf.zeros([2, 2]))).toThrow(ShapeError);
      expect(() => fn(tf.zeros([4]), tf.zeros([4]))).toThrow(ShapeError);
      expect(() => fn(tf.zeros([4]), tf.zeros([4]))).toThrow(new RegExp(`^Error in ${name}: .*expected rank ≥ 2`));
    }
  });
});

describe('batchMean', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('is the mean over the batch', async () => {
    const v = uniform(7, 13, 0, 100);
    const m = batchMean(tf.tensor1d(v));
    expect(m.rank).toBe(0);
    await assertClose(m, v.reduce((s, x) => s + x, 0) / 7, TOL);
    await assertClose(batchMean(tf.tensor1d([1, 2, 6])), 3, TOL);
  });

  it('leaks no tensors', async () => {
    const v = tf.tensor1d([1, 2]);
    (await assertNoLeaks(() => batchMean(v), 1)).dispose();
  });

  it('throws a ShapeError naming batchMean for a rank ≠ 1 or empty input', () => {
    const matrix = tf.zeros([2, 2]) as tf.Tensor as tf.Tensor1D; // a caller who lies to the type system
    expect(() => batchMean(matrix)).toThrow(ShapeError);
    expect(() => batchMean(matrix)).toThrow(/^Error in batchMean: .*expected rank 1/);
    expect(() => batchMean(tf.zeros([0]) as tf.Tensor1D)).toThrow(/^Error in batchMean: .*at least one example/);
  });
});
