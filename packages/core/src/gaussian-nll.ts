import {
  add,
  exp,
  mul,
  neg,
  op,
  type Scalar,
  squaredDifference,
  type Tensor,
  type Tensor1D,
} from '@tensorflow/tfjs-core';
import { assertFiniteNumber, assertRank } from './checks.js';
import { LOG_2PI } from './log-density.js';
import { assertExamplePair, sumOverFeatures } from './squared-error.js';

/**
 * ‖x − mean‖² / (2c) + (D/2)·(log 2π + log c) per example, c = exp(logC): the one place the Gaussian
 * log-likelihood is written. logC is a number (fixed variance, coefficients in float64) or a scalar tensor
 * (learned variance, differentiable).
 */
function gaussianNllTerms(x: Tensor, mean: Tensor, logC: number | Scalar): Tensor1D {
  const d = x.shape[0] === 0 ? 0 : x.size / x.shape[0]!; // features per example
  const sse = sumOverFeatures(squaredDifference(x, mean)); // [batch]
  const halfPrecision = typeof logC === 'number' ? Math.exp(-logC) / 2 : mul(exp(neg(logC)), 0.5); // 1/(2c)
  const constant = typeof logC === 'number' ? (d / 2) * (LOG_2PI + logC) : mul(add(logC, LOG_2PI), d / 2);
  return add(mul(sse, halfPrecision), constant) as Tensor1D; // [batch]
}

function gaussianNll_(x: Tensor, mean: Tensor, c: number): Tensor1D {
  assertExamplePair('gaussianNll', x, 'mean', mean);
  assertFiniteNumber('gaussianNll', 'c (decoder variance)', c, { positive: true });
  return gaussianNllTerms(x, mean, Math.log(c));
}

/**
 * Negative log-likelihood of a Gaussian decoder p(x|z) = N(f(z), c·I), per example (docs/math.md §4):
 *
 *     −log N(x; mean, c·I) = ‖x − mean‖² / (2c) + (D/2)·log(2πc)
 *
 * with D the number of features; x, mean: `[batch, ...features]` → `[batch]` (nats). The constant is what makes
 * values comparable with a Bernoulli decoder or with log p(x) estimates; for training alone,
 * {@link gaussianReconstructionLoss} drops it. Throws a ValueError unless c is finite and > 0.
 * {@link gaussianNllLogC} is the same formula with a learned log c.
 *
 * @example
 * const x = tf.tensor2d([[1, 2]]);
 * const mean = tf.tensor2d([[0, 0]]);
 * gaussianNll(x, mean, 0.5); // [5 + log(π)] ≈ [6.1447]
 */
export const gaussianNll = op({ gaussianNll_ });

function gaussianNllLogC_(x: Tensor, mean: Tensor, logC: Scalar): Tensor1D {
  assertExamplePair('gaussianNllLogC', x, 'mean', mean);
  assertRank('gaussianNllLogC', 'logC', logC, 0, 'a scalar log c');
  return gaussianNllTerms(x, mean, logC);
}

/**
 * {@link gaussianNll} with the variance given as a scalar tensor logC = log c, as a decoder with a *learned*
 * variance trains it (the σ-VAE; docs/math.md §4):
 *
 *     −log N(x; mean, c·I) = ‖x − mean‖²·exp(−logC)/2 + (D/2)·(log 2π + logC)
 *     ∂/∂logC = −‖x − mean‖²·exp(−logC)/2 + D/2
 *
 * x, mean: `[batch, ...features]` → `[batch]` (nats); differentiable in mean and logC. Throws a ShapeError
 * unless logC is a scalar.
 *
 * @example
 * gaussianNllLogC(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]]), tf.scalar(Math.log(0.5))); // [5 + log(π)]
 */
export const gaussianNllLogC = op({ gaussianNllLogC_ });

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
