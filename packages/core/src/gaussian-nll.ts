import { add, mul, op, squaredDifference, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { assertFiniteNumber } from './checks.js';
import { assertExamplePair, sumOverFeatures } from './squared-error.js';

function gaussianNll_(x: Tensor, mean: Tensor, c: number): Tensor1D {
  assertExamplePair('gaussianNll', x, 'mean', mean);
  assertFiniteNumber('gaussianNll', 'c (decoder variance)', c, { positive: true });
  const d = x.size / x.shape[0]!; // features per example (x.size = 0 only when batch = 0)
  const constant = x.shape[0] === 0 ? 0 : (d / 2) * Math.log(2 * Math.PI * c);
  return add(mul(sumOverFeatures(squaredDifference(x, mean)), 1 / (2 * c)), constant) as Tensor1D; // [batch]
}

/**
 * Negative log-likelihood of a Gaussian decoder p(x|z) = N(f(z), c·I), per example (docs/math.md §4):
 *
 *     −log N(x; mean, c·I) = ‖x − mean‖² / (2c) + (D/2)·log(2πc)
 *
 * with D the number of features; x, mean: `[batch, ...features]` → `[batch]` (nats). The constant is what makes
 * values comparable with a Bernoulli decoder or with log p(x) estimates; for training alone,
 * {@link gaussianReconstructionLoss} drops it. Throws a ValueError unless c is finite and > 0.
 *
 * @example
 * const x = tf.tensor2d([[1, 2]]);
 * const mean = tf.tensor2d([[0, 0]]);
 * gaussianNll(x, mean, 0.5); // [5 + log(π)] ≈ [6.1447]
 */
export const gaussianNll = op({ gaussianNll_ });

function gaussianReconstructionLoss_(x: Tensor, mean: Tensor, C: number): Tensor1D {
  assertExamplePair('gaussianReconstructionLoss', x, 'mean', mean);
  assertFiniteNumber('gaussianReconstructionLoss', 'C (reconstruction weight)', C, { positive: true });
  return mul(sumOverFeatures(squaredDifference(x, mean)), C) as Tensor1D; // [batch]
}

/**
 * The reconstruction term of a Gaussian decoder in its loss form (docs/math.md §4), per example:
 *
 *     C·‖x − mean‖²,     C = 1/(2c)
 *
 * x, mean: `[batch, ...features]` → `[batch]`. Same gradient as {@link gaussianNll} with c = 1/(2C), without the
 * constant (D/2)·log(2πc). A large C favours reconstruction, a small C the KL regulariser.
 * Throws a ValueError unless C is finite and > 0.
 *
 * @example
 * gaussianReconstructionLoss(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]]), 0.5); // [2.5]
 */
export const gaussianReconstructionLoss = op({ gaussianReconstructionLoss_ });
