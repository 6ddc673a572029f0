import {
  add,
  exp,
  expm1,
  mul,
  neg,
  op,
  squaredDifference,
  sub,
  sum,
  type Tensor1D,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import { assertSameShape } from './checks.js';
import { assertGaussianParams } from './gaussian-kl.js';
import { clampLogVar } from './log-var.js';

function diagonalGaussianKl_(mu1: Tensor2D, logVar1: Tensor2D, mu2: Tensor2D, logVar2: Tensor2D): Tensor1D {
  const fn = 'diagonalGaussianKl';
  assertGaussianParams(fn, mu1, logVar1, '1');
  assertGaussianParams(fn, mu2, logVar2, '2');
  assertSameShape(fn, 'mu1', mu1, 'mu2', mu2);
  const v1 = clampLogVar(logVar1);
  const v2 = clampLogVar(logVar2);
  const d = sub(v1, v2); // log σ1²/σ2², [batch, latentDim]
  // σ1²/σ2² − 1 − log(σ1²/σ2²) + (μ1 − μ2)²/σ2²
  const twice = add(sub(expm1(d), d), mul(squaredDifference(mu1, mu2), exp(neg(v2))));
  return mul(sum(twice, 1), 0.5) as Tensor1D; // [batch]
}

/**
 * KL divergence between two diagonal Gaussians, per example (docs/math.md §4):
 *
 *     KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) = ½ Σ_j ( log σ2_j²/σ1_j² + (σ1_j² + (μ1_j − μ2_j)²)/σ2_j² − 1 )
 *
 * all four inputs `[batch, latentDim]` (σ² = exp(logVar)) → `[batch]` (nats). Evaluated as
 * ½ Σ_j (expm1(d_j) − d_j + (μ1_j − μ2_j)²·exp(−logVar2_j)) with d = logVar1 − logVar2, which is exactly 0 when
 * both Gaussians are the same and equals {@link gaussianKl} when (μ2, logVar2) = (0, 0). Both logVars are
 * clamped to {@link LOG_VAR_RANGE} first, so the result is finite for any finite input.
 *
 * @example
 * const zero = tf.zeros([1, 1]) as tf.Tensor2D;
 * diagonalGaussianKl(tf.tensor2d([[1]]), zero, zero, tf.tensor2d([[Math.log(4)]]));
 * // ½ (log 4 + (1 + 1)/4 − 1) ≈ [0.4431]
 */
export const diagonalGaussianKl = op({ diagonalGaussianKl_ });
