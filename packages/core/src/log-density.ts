import { add, exp, mul, neg, op, square, sub, sum, type Tensor } from '@tensorflow/tfjs-core';
import { assertMinRank, assertSameShape } from './checks.js';
import { formatShape, ShapeError } from './errors.js';
import { clampLogVar } from './log-var.js';

/** log 2π. */
export const LOG_2PI = Math.log(2 * Math.PI);

/** Throws a {@link ShapeError} unless `z` and `mu` broadcast together (numpy rules, aligned on the right). */
function assertBroadcastable(fn: string, z: Tensor, mu: Tensor): void {
  const n = Math.min(z.rank, mu.rank);
  for (let i = 1; i <= n; i++) {
    const a = z.shape[z.rank - i]!;
    const b = mu.shape[mu.rank - i]!;
    if (a !== b && a !== 1 && b !== 1) {
      throw new ShapeError(
        fn,
        'z and mu do not broadcast',
        `shapes that agree on the right (e.g. z [k, batch, d] with mu [batch, d]); mu is ${formatShape(mu.shape)}`,
        `z of shape ${formatShape(z.shape)}`,
      );
    }
  }
}

function diagonalGaussianLogDensity_(z: Tensor, mu: Tensor, logVar: Tensor): Tensor {
  const fn = 'diagonalGaussianLogDensity';
  assertMinRank(fn, 'z', z, 1, '[..., latentDim]');
  assertMinRank(fn, 'mu', mu, 1, '[..., latentDim]');
  assertSameShape(fn, 'mu', mu, 'logVar', logVar);
  assertBroadcastable(fn, z, mu);
  const v = clampLogVar(logVar);
  const quad = mul(square(sub(z, mu)), exp(neg(v))); // (z − μ)²/σ², broadcast shape
  return mul(sum(add(add(quad, v), LOG_2PI), -1), -0.5);
}

/**
 * Log-density of a diagonal Gaussian N(μ, diag(exp(logVar))) at z, summed over the last axis (docs/math.md §5):
 *
 *     log q(z) = Σ_j −½ [ log 2π + logVar_j + (z_j − μ_j)²·exp(−logVar_j) ]
 *
 * z and mu broadcast (numpy rules): z `[k, batch, d]` with mu, logVar `[batch, d]` gives `[k, batch]`;
 * the result has the broadcast shape without its last axis. logVar is clamped to {@link LOG_VAR_RANGE} first,
 * as in `reparameterize`, so this is the density of the distribution actually sampled, finite for ±100.
 *
 * @example
 * const z = tf.tensor2d([[1, 0]]);
 * diagonalGaussianLogDensity(z, tf.zeros([1, 2]), tf.zeros([1, 2])); // [−log 2π − ½] ≈ [−2.3379]
 */
export const diagonalGaussianLogDensity = op({ diagonalGaussianLogDensity_ });

function standardNormalLogDensity_(z: Tensor): Tensor {
  assertMinRank('standardNormalLogDensity', 'z', z, 1, '[..., latentDim]');
  return mul(sum(add(square(z), LOG_2PI), -1), -0.5);
}

/**
 * Log-density of the prior p(z) = N(0, I) at z, summed over the last axis:
 *
 *     log p(z) = Σ_j −½ [ log 2π + z_j² ]          z: [..., d] → [...]
 *
 * @example
 * standardNormalLogDensity(tf.tensor2d([[0, 0], [1, 0]])); // [−log 2π, −log 2π − ½]
 */
export const standardNormalLogDensity = op({ standardNormalLogDensity_ });
