import { add, expm1, mul, op, square, sub, sum, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';
import { assertRank, assertSameShape } from './checks.js';
import { clampLogVar } from './log-var.js';

/** Checks the `(mu, logVar)` pair of a diagonal Gaussian: both rank 2 `[batch, latentDim]`, same shape. */
export function assertGaussianParams(fn: string, mu: Tensor2D, logVar: Tensor2D, suffix = ''): void {
  assertRank(fn, `mu${suffix}`, mu, 2, '[batch, latentDim]');
  assertRank(fn, `logVar${suffix}`, logVar, 2, '[batch, latentDim]');
  assertSameShape(fn, `mu${suffix}`, mu, `logVar${suffix}`, logVar);
}

/** ½(μ² + expm1(v) − v), element-wise, with v = clampLogVar(logVar). */
function klPerDim(mu: Tensor2D, logVar: Tensor2D): Tensor2D {
  const v = clampLogVar(logVar);
  return mul(add(square(mu), sub(expm1(v), v)), 0.5) as Tensor2D; // [batch, latentDim]
}

function gaussianKlPerDim_(mu: Tensor2D, logVar: Tensor2D): Tensor2D {
  assertGaussianParams('gaussianKlPerDim', mu, logVar);
  return klPerDim(mu, logVar);
}

/**
 * KL divergence of q = N(μ, diag(exp(logVar))) from the prior N(0, I), per example and latent dimension:
 *
 *     KL_bj = −½ (1 + logVar_bj − μ_bj² − exp(logVar_bj)) = ½ (μ_bj² + (exp(logVar_bj) − 1) − logVar_bj)
 *
 * mu, logVar: `[batch, latentDim]` → `[batch, latentDim]` (nats). The right-hand form is evaluated with expm1, which
 * keeps the small difference exp(v) − 1 − v accurate near logVar = 0. logVar is first clamped to
 * {@link LOG_VAR_RANGE}, so raw network outputs of ±100 give a finite KL (and a zero gradient beyond the range).
 * Used for per-dimension diagnostics and free bits.
 *
 * @example
 * gaussianKlPerDim(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(2)]])); // [[0.5, 0.5 − ½·log 2]]
 */
export const gaussianKlPerDim = op({ gaussianKlPerDim_ });

function gaussianKl_(mu: Tensor2D, logVar: Tensor2D): Tensor1D {
  assertGaussianParams('gaussianKl', mu, logVar);
  return sum(klPerDim(mu, logVar), 1) as Tensor1D; // [batch]
}

/**
 * Closed-form KL(N(μ, σ²) ‖ N(0, I)) per example (docs/math.md §4), summed over the latent dimensions j:
 *
 *     KL_b = −½ Σ_j (1 + logVar_bj − μ_bj² − exp(logVar_bj))
 *
 * mu, logVar: `[batch, latentDim]` → `[batch]` (nats). Gradients: ∂KL/∂μ = μ, ∂KL/∂logVar = ½(exp(logVar) − 1).
 * logVar is clamped to {@link LOG_VAR_RANGE} first, so the result is finite for any finite input.
 *
 * @example
 * const mu = tf.tensor2d([[1, 0], [0, 0]]);
 * const logVar = tf.zeros([2, 2]) as tf.Tensor2D;
 * gaussianKl(mu, logVar); // [0.5, 0]
 */
export const gaussianKl = op({ gaussianKl_ });
