import { add, mean, mul, op, type Scalar, sum, type Tensor, type Tensor2D } from '@tensorflow/tfjs-core';
import { assertFiniteNumber } from './checks.js';
import { assertDecoderLikelihood, type DecoderLikelihood, decoderNll } from './decoder-nll.js';
import { formatShape, ShapeError } from './errors.js';
import { assertGaussianParams, gaussianKlPerDim } from './gaussian-kl.js';
import { freeBits } from './kl-schedule.js';
import { assertExamplePair, batchMean } from './squared-error.js';

/**
 * Options of {@link negativeElbo}: the decoder's likelihood p(x|z) ({@link DecoderLikelihood}: Bernoulli logits,
 * or a Gaussian mean with a fixed variance c, a learned log c, or the loss weight C), β and free bits.
 */
export interface ElboOptions extends DecoderLikelihood {
  /** Weight β on the KL term (β-VAE; 1 is the ELBO). Finite, ≥ 0; see {@link klWarmup} to anneal it. */
  readonly beta: number;
  /** Free bits λ in nats per latent dimension ({@link freeBits}); 0 turns them off. Finite, ≥ 0. */
  readonly freeBits: number;
}

/** The plain ELBO with a Bernoulli decoder: β = 1, no free bits. */
export const DEFAULT_ELBO_OPTIONS: Readonly<ElboOptions> = Object.freeze({
  decoder: 'bernoulli',
  beta: 1,
  freeBits: 0,
});

/** The terms of {@link negativeElbo}, each a scalar in nats per example (batch means). The caller disposes them. */
export interface ElboTerms {
  /** (1/B) Σ_b −log p(x_b|z_b) (or C·‖x_b − f(z_b)‖² with a weight C). */
  reconstruction: Scalar;
  /** The KL term as it enters `total`: (1/B) Σ_b KL(q(z|x_b) ‖ N(0, I)), or its free-bits floor when freeBits > 0. */
  kl: Scalar;
  /** reconstruction + β·kl: the training loss (the negative ELBO when β = 1 and freeBits = 0). */
  total: Scalar;
}

function checkOptions(o: ElboOptions): void {
  const fn = 'negativeElbo';
  assertDecoderLikelihood(fn, o);
  assertFiniteNumber(fn, 'beta', o.beta, { min: 0 });
  assertFiniteNumber(fn, 'freeBits', o.freeBits, { min: 0 });
}

function negativeElbo_(
  x: Tensor,
  decoded: Tensor,
  mu: Tensor2D,
  logVar: Tensor2D,
  options: Partial<ElboOptions> = {},
): ElboTerms {
  const fn = 'negativeElbo';
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: ElboOptions = { ...DEFAULT_ELBO_OPTIONS, ...given };
  checkOptions(o);
  assertExamplePair(fn, x, 'decoded', decoded);
  assertGaussianParams(fn, mu, logVar);
  if (x.shape[0] !== mu.shape[0] || x.shape[0] === 0) {
    throw new ShapeError(
      fn,
      'x and mu must share a non-empty batch axis',
      `mu of shape [${x.shape[0] || 'batch ≥ 1'}, latentDim]`,
      `x ${formatShape(x.shape)}, mu ${formatShape(mu.shape)}`,
    );
  }
  const { decoder, c, logC, C } = o;
  const perExample = decoderNll(x, decoded, { decoder, c, logC, C }); // [batch]
  const reconstruction = batchMean(perExample);
  const klPerDim = gaussianKlPerDim(mu, logVar); // [batch, latentDim]
  const kl = o.freeBits > 0 ? freeBits(klPerDim, o.freeBits) : (mean(sum(klPerDim, 1)) as Scalar);
  const total = add(reconstruction, mul(kl, o.beta)) as Scalar;
  return { reconstruction, kl, total };
}

/**
 * The VAE training objective, batch-averaged, with its two terms reported apart (docs/math.md §4–5): the one
 * place reconstruction, KL, β and free bits are composed, for every decoder kind of {@link decoderNll}:
 *
 *     total = (1/B) Σ_b −log p(x_b | z_b) + β · (1/B) Σ_b KL(N(μ_b, σ_b²) ‖ N(0, I))
 *
 * x, decoded: `[batch, ...features]` (decoded = logits or Gaussian mean of p(x|z) for z ~ q(z|x));
 * mu, logVar: `[batch, latentDim]`. With free bits λ > 0 the KL term becomes Σ_j max(λ, (1/B) Σ_b KL_bj)
 * ({@link freeBits}). Returns three scalars the caller disposes. Options default to {@link DEFAULT_ELBO_OPTIONS}.
 *
 * @example
 * const [x, logits, mean] = [tf.ones([4, 6]), tf.zeros([4, 6]), tf.fill([4, 6], 0.5)]; // [batch, features]
 * const [mu, logVar] = [tf.zeros([4, 2]), tf.zeros([4, 2])]; // [batch, latentDim]
 * const step = 100;
 * const logC = tf.scalar(0); // log c of a learned variance (a Variable in a model)
 * const { reconstruction, kl, total } = negativeElbo(x, logits, mu, logVar, { beta: klWarmup(step, { warmupSteps: 1e4 }) });
 * const loss = negativeElbo(x, mean, mu, logVar, { decoder: 'gaussian', C: 100 }).total;
 * const learned = negativeElbo(x, mean, mu, logVar, { decoder: 'gaussian', logC, beta: 1, freeBits: 0.5 });
 */
export const negativeElbo = op({ negativeElbo_ });
