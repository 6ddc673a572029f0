/**
 * Per-example losses of a model on a batch, for colouring the explorer's points. For a VAE the code is the
 * posterior mean μ and the loss is the single-point estimate of the negative ELBO at z = μ (docs/math.md §4):
 *
 *     loss_b = −log p(x_b | z = μ_b) + KL(N(μ_b, diag σ_b²) ‖ N(0, I))
 *
 * with −log p the Bernoulli cross-entropy Σ_i BCE(x_bi, logit p_bi) for images (p clipped to [ε, 1 − ε],
 * ε = 1e-6, since the model hands out sigmoid(logits)) and the squared error Σ_i (x_bi − x̂_bi)² otherwise.
 * Autoencoders and PCA have no KL: their loss is the reconstruction term alone.
 *
 * @example
 * const { z, loss, kl } = await perExample(vae, x, true); // [batch, latentDim], [batch], [batch]
 */
import { bernoulliNll, gaussianKl } from '@latentlab/core';
import type { Pca } from '@latentlab/models';
import { Vae } from '@latentlab/models';
import {
  add,
  clipByValue,
  log,
  reshape,
  square,
  sub,
  sum,
  type Tensor,
  type Tensor2D,
  tidy,
} from '@tensorflow/tfjs-core';
import type { NeuralModel } from '../../worker/job.js';

export const PROBABILITY_EPS = 1e-6;

export interface PerExample {
  z: Float32Array;
  loss: Float32Array;
  kl: Float32Array | null;
}

/** x: [batch, d] in model space; `bernoulli`: images with a Bernoulli (or sigmoid-output) decoder. */
export async function perExample(model: NeuralModel | Pca, x: Tensor2D, bernoulli: boolean): Promise<PerExample> {
  const [z, loss, kl] = tidy(() => {
    let mu: Tensor2D;
    let klT: Tensor | null = null;
    if (model instanceof Vae) {
      const post = model.posterior(x);
      mu = post.mu;
      klT = gaussianKl(post.mu, post.logVar);
    } else {
      mu = model.encode(x) as Tensor2D;
    }
    const xHat = reshape(model.decode(mu), x.shape) as Tensor2D; // [batch, d]
    let rec: Tensor;
    if (bernoulli) {
      const p = clipByValue(xHat, PROBABILITY_EPS, 1 - PROBABILITY_EPS);
      const logits = sub(log(p), log(sub(1, p))) as Tensor2D;
      rec = bernoulliNll(x, logits);
    } else {
      rec = sum(square(sub(x, xHat)), 1);
    }
    return [mu, klT ? add(rec, klT) : rec, klT] as const;
  });
  // Read asynchronously: on WebGPU a synchronous read can return zeros (see worker/plots.ts).
  try {
    const [zs, losses, kls] = await Promise.all([z.data(), loss.data(), kl?.data()]);
    return {
      z: Float32Array.from(zs as Float32Array),
      loss: Float32Array.from(losses as Float32Array),
      kl: kls ? Float32Array.from(kls as Float32Array) : null,
    };
  } finally {
    z.dispose();
    loss.dispose();
    kl?.dispose();
  }
}
