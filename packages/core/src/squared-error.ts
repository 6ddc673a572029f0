import { mean, op, type Scalar, squaredDifference, sum, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { assertMinRank, assertRank, assertSameShape } from './checks.js';
import { formatShape, ShapeError } from './errors.js';

/** The feature axes of a `[batch, ...features]` tensor: 1 … rank − 1. */
function featureAxes(t: Tensor): number[] {
  return Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
}

/**
 * Σ over every axis but the first: `[batch, ...features]` → `[batch]`. Shared by the per-example losses.
 * @internal
 */
export function sumOverFeatures(t: Tensor): Tensor1D {
  return sum(t, featureAxes(t)) as Tensor1D;
}

/**
 * Checks the `(x, other)` pair every per-example loss takes: `x` of rank ≥ 2 `[batch, ...features]`,
 * `other` of the same shape. Throws a {@link ShapeError} naming `fn`.
 * @internal
 */
export function assertExamplePair(fn: string, x: Tensor, name: string, other: Tensor): void {
  assertMinRank(fn, 'x', x, 2, '[batch, ...features]');
  assertSameShape(fn, 'x', x, name, other);
}

function sumSquaredError_(x: Tensor, xHat: Tensor): Tensor1D {
  assertExamplePair('sumSquaredError', x, 'xHat', xHat);
  return sumOverFeatures(squaredDifference(x, xHat)); // [batch]
}

/**
 * Squared reconstruction error per example, summed over the features (docs/math.md §1, §3):
 *
 *     SSE_b = Σ_i (x_bi − x̂_bi)²          x, xHat: [batch, ...features] → [batch]
 *
 * @example
 * const x = tf.tensor2d([[0, 1], [1, 1]]);
 * const xHat = tf.tensor2d([[0, 0], [1, 3]]);
 * sumSquaredError(x, xHat); // [1, 4]
 */
export const sumSquaredError = op({ sumSquaredError_ });

function meanSquaredError_(x: Tensor, xHat: Tensor): Tensor1D {
  assertExamplePair('meanSquaredError', x, 'xHat', xHat);
  return mean(squaredDifference(x, xHat), featureAxes(x)) as Tensor1D; // [batch]
}

/**
 * Squared reconstruction error per example, averaged over the D features:
 *
 *     MSE_b = (1/D) Σ_i (x_bi − x̂_bi)²     x, xHat: [batch, ...features] → [batch]
 *
 * @example
 * const x = tf.tensor2d([[0, 1], [1, 1]]);
 * const xHat = tf.tensor2d([[0, 0], [1, 3]]);
 * meanSquaredError(x, xHat); // [0.5, 2]
 */
export const meanSquaredError = op({ meanSquaredError_ });

function batchMean_(perExample: Tensor1D): Scalar {
  assertRank('batchMean', 'perExample', perExample, 1, '[batch]');
  if (perExample.size === 0) {
    throw new ShapeError('batchMean', 'perExample is empty', 'at least one example', formatShape(perExample.shape));
  }
  return mean(perExample);
}

/**
 * The mean over the batch of a per-example quantity (a loss in nats per example):
 *
 *     batchMean(ℓ) = (1/B) Σ_b ℓ_b          [batch] → scalar
 *
 * Every loss here returns per-example values so that evaluation can report them per example and training
 * can average them; this is the one place the averaging convention lives.
 *
 * @example
 * batchMean(tf.tensor1d([1, 2, 6])); // 3
 */
export const batchMean = op({ batchMean_ });
