import { maximum, mean, op, type Scalar, sum, type Tensor2D } from '@tensorflow/tfjs-core';
import { assertFiniteNumber, assertRank } from './checks.js';
import { formatShape, ShapeError, ValueError } from './errors.js';

/** Options of {@link klWarmup}. */
export interface KlWarmupOptions {
  /** Steps over which β rises linearly from 0 to `betaMax`; 0 means no warm-up. */
  readonly warmupSteps: number;
  /** The final β (default 1: the plain ELBO). */
  readonly betaMax?: number;
}

/**
 * Linear KL warm-up (deterministic β annealing, Bowman et al. 2016; Sønderby et al. 2016):
 *
 *     β(step) = betaMax · min(1, step / warmupSteps)
 *
 * Start the KL weight at 0 so the decoder learns to use z before the prior pulls q toward N(0, I).
 * Throws a ValueError for a negative or non-finite step, warmupSteps or betaMax.
 *
 * @example
 * klWarmup(250, { warmupSteps: 1000 }); // 0.25
 * klWarmup(5000, { warmupSteps: 1000, betaMax: 4 }); // 4
 */
export function klWarmup(step: number, { warmupSteps, betaMax = 1 }: KlWarmupOptions): number {
  assertFiniteNumber('klWarmup', 'step', step, { min: 0 });
  assertFiniteNumber('klWarmup', 'warmupSteps', warmupSteps, { min: 0 });
  assertFiniteNumber('klWarmup', 'betaMax', betaMax, { min: 0 });
  return warmupSteps === 0 ? betaMax : betaMax * Math.min(1, step / warmupSteps);
}

/** Options of {@link cyclicalKlAnnealing}. */
export interface CyclicalKlOptions {
  /** Length T of one cycle, in steps (> 0). */
  readonly cycleSteps: number;
  /** Fraction R of each cycle spent ramping β up, in (0, 1]; the rest holds `betaMax` (default 0.5). */
  readonly rampFraction?: number;
  /** The β reached in every cycle (default 1). */
  readonly betaMax?: number;
}

/**
 * Cyclical β annealing (Fu et al. 2019, "Cyclical Annealing Schedule"): with τ = (step mod T)/T,
 *
 *     β(step) = betaMax · min(1, τ / R)
 *
 * i.e. the linear warm-up of {@link klWarmup} restarted every T steps.
 *
 * @example
 * cyclicalKlAnnealing(1250, { cycleSteps: 1000 }); // τ = 0.25 → 0.5
 */
export function cyclicalKlAnnealing(
  step: number,
  { cycleSteps, rampFraction = 0.5, betaMax = 1 }: CyclicalKlOptions,
): number {
  const fn = 'cyclicalKlAnnealing';
  assertFiniteNumber(fn, 'step', step, { min: 0 });
  assertFiniteNumber(fn, 'cycleSteps', cycleSteps, { positive: true });
  if (!(rampFraction > 0 && rampFraction <= 1)) {
    throw new ValueError(fn, 'rampFraction is out of range', 'a number in (0, 1]', String(rampFraction));
  }
  assertFiniteNumber(fn, 'betaMax', betaMax, { min: 0 });
  const tau = (step % cycleSteps) / cycleSteps;
  return betaMax * Math.min(1, tau / rampFraction);
}

function freeBits_(klPerDim: Tensor2D, lambda: number): Scalar {
  assertRank('freeBits', 'klPerDim', klPerDim, 2, '[batch, latentDim]');
  assertFiniteNumber('freeBits', 'lambda', lambda, { min: 0 });
  if (klPerDim.shape[0] === 0) {
    throw new ShapeError('freeBits', 'klPerDim is empty', 'at least one example', formatShape(klPerDim.shape));
  }
  return sum(maximum(mean(klPerDim, 0), lambda)); // Σ_j over [latentDim]
}

/**
 * The free-bits KL term (Kingma et al. 2016, "Improved Variational Inference with Inverse Autoregressive Flow",
 * eq. 15), with one group per latent dimension:
 *
 *     Σ_j max(λ, (1/B) Σ_b KL_bj)
 *
 * klPerDim: `[batch, latentDim]` (from {@link gaussianKlPerDim}) → scalar (nats per example). A dimension whose
 * batch-averaged KL is below λ costs a flat λ and gets no gradient, so the encoder may spend up to λ nats on it for
 * free, which keeps latent dimensions from collapsing to the prior early in training. λ = 0 gives the plain
 * batch-mean KL. Throws a ValueError unless λ is finite and ≥ 0.
 *
 * @example
 * freeBits(tf.tensor2d([[0.1, 3], [0.3, 1]]), 0.5); // max(0.5, 0.2) + max(0.5, 2) = 2.5
 */
export const freeBits = op({ freeBits_ });
