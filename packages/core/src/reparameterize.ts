import { add, exp, mul, op, Tensor, type Tensor2D, type Tensor3D } from '@tensorflow/tfjs-core';
import { assertInteger, assertSameShape } from './checks.js';
import { ValueError } from './errors.js';
import { assertGaussianParams } from './gaussian-kl.js';
import { clampLogVar } from './log-var.js';
import { Rng } from './random.js';

/** σ = exp(½·clampLogVar(logVar)). */
function sigmaOf(logVar: Tensor2D): Tensor2D {
  return exp(mul(clampLogVar(logVar), 0.5)) as Tensor2D;
}

function reparameterize_(mu: Tensor2D, logVar: Tensor2D, rngOrEps: Rng | Tensor2D): Tensor2D {
  const fn = 'reparameterize';
  assertGaussianParams(fn, mu, logVar);
  if (!(rngOrEps instanceof Rng) && !(rngOrEps instanceof Tensor)) {
    throw new ValueError(
      fn,
      'rngOrEps is neither an Rng nor a tensor',
      'an Rng or eps [batch, latentDim]',
      String(rngOrEps),
    );
  }
  const eps = rngOrEps instanceof Rng ? rngOrEps.normal([mu.shape[0], mu.shape[1]]) : rngOrEps;
  assertSameShape(fn, 'mu', mu, 'eps', eps);
  return add(mu, mul(sigmaOf(logVar), eps)) as Tensor2D; // [batch, latentDim]
}

/**
 * The reparameterisation trick (Kingma & Welling 2014; docs/math.md §4): a sample of q = N(μ, diag(σ²)) written as a
 * differentiable function of μ and logVar,
 *
 *     z = μ + σ ⊙ ε,   σ = exp(½·clampLogVar(logVar)),   ε ~ N(0, I)
 *
 * mu, logVar: `[batch, latentDim]` → z `[batch, latentDim]`. ε is drawn from `rngOrEps` when it is an
 * {@link Rng}, or is the given `[batch, latentDim]` tensor. Gradients: ∂z/∂μ = 1, ∂z/∂logVar = ½σε (zero where
 * logVar is outside {@link LOG_VAR_RANGE}, so logVar = ±100 gives a finite z).
 *
 * @example
 * const mu = tf.tensor2d([[0, 1]]);
 * const logVar = tf.tensor2d([[0, Math.log(4)]]);
 * reparameterize(mu, logVar, tf.tensor2d([[0.5, -1]])); // [[0.5, 1 − 2]] = [[0.5, −1]]
 * const z = reparameterize(mu, logVar, createRng(0));     // [1, 2], a sample of N(μ, diag(1, 4))
 */
export const reparameterize = op({ reparameterize_ });

function sampleDiagonalGaussian_(mu: Tensor2D, logVar: Tensor2D, rng: Rng, k: number): Tensor3D {
  const fn = 'sampleDiagonalGaussian';
  assertGaussianParams(fn, mu, logVar);
  assertInteger(fn, 'k', k, 1);
  const [batch, latentDim] = mu.shape;
  const eps = rng.normal([k, batch, latentDim]); // [k, batch, latentDim]
  return add(mu, mul(sigmaOf(logVar), eps)) as Tensor3D; // μ, σ broadcast over k
}

/**
 * K reparameterised samples per example, for importance sampling:
 *
 *     z_kb = μ_b + σ_b ⊙ ε_kb,   ε_kb ~ N(0, I)       mu, logVar: [batch, latentDim] → [k, batch, latentDim]
 *
 * ε is drawn as one `[k, batch, latentDim]` block in row-major order, so drawing k = k₁ + k₂ samples in two calls
 * gives the same samples as one call (the {@link Rng} normal stream does not depend on how it is split).
 *
 * @example
 * const [mu, logVar] = [tf.zeros([8, 2]), tf.zeros([8, 2])]; // [batch, latentDim]
 * const z = sampleDiagonalGaussian(mu, logVar, createRng(0), 100); // [100, batch, latentDim]
 */
export const sampleDiagonalGaussian = op({ sampleDiagonalGaussian_ });
