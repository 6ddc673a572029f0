import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AssertionError } from './assert-close.js';
import { assertGradientClose, numericGradient } from './finite-differences.js';
import { assertNoLeaks } from './leaks.js';

describe('numericGradient', () => {
  it('recovers known gradients to O(h²)', () => {
    const g = numericGradient((x) => x[0]! ** 2 + 3 * x[1]! + Math.sin(x[2]!), [2, 5, 0.4]);
    expect(g[0]).toBeCloseTo(4, 8);
    expect(g[1]).toBeCloseTo(3, 8);
    expect(g[2]).toBeCloseTo(Math.cos(0.4), 8);
  });

  it('leaves its input unchanged', () => {
    const x = Float64Array.of(1, 2, 3);
    numericGradient((v) => v[0]! * v[1]! * v[2]!, x);
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });
});

describe('assertGradientClose', () => {
  const sumOfSquares = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);

  it('passes for a correct gradient, returning both gradients, and leaks nothing', async () => {
    const { analytic, numeric } = await assertNoLeaks(() =>
      assertGradientClose((t) => tf.sum(tf.square(t)), sumOfSquares, [1, -2, 0.5], [3]),
    );
    expect(analytic).toHaveLength(3);
    expect(numeric[1]).toBeCloseTo(-4, 6);
  });

  it('sums a non-scalar output', async () => {
    await assertGradientClose((t) => tf.square(t), sumOfSquares, [1, -2, 0.5, 3], [2, 2]);
  });

  it('throws an AssertionError for a wrong gradient', async () => {
    // x³ has gradient 3x², not 2x: the check must notice.
    await expect(assertGradientClose((t) => tf.pow(t, 3), sumOfSquares, [1, -2], [2])).rejects.toThrow(AssertionError);
  });
});
