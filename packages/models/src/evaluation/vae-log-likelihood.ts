import {
  add,
  matMul,
  mul,
  reshape,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  tidy,
  tile,
} from '@tensorflow/tfjs-core';
import type { Vae } from '../vae.js';
import { sumSoftplus } from './sum-softplus.js';

/** A VAE decoder's log p(x|z), in the two forms core's `importanceWeightedLogLikelihood` accepts. */
export interface VaeLogLikelihood {
  /** log p(x_r|z_r) per row: x `[rows, ...inputShape]` (or `[rows, d]`), z `[rows, latentDim]` → `[rows]`. */
  logLikelihood(x: Tensor, z: Tensor2D): Tensor1D;
  /** log p(x_b|z_kb): x `[batch, ...]` once, z `[kc, batch, latentDim]` → `[kc, batch]` (the fast path). */
  logLikelihoodSamples(x: Tensor, z: Tensor3D): Tensor2D;
  /** Frees the decoder weights the evaluator holds. */
  dispose(): void;
}

/**
 * log p(x|z) of a VAE's decoder (docs/math.md §4–5), read through the model's public seams: `Vae.logLikelihood`
 * (−core's `decoderNll`, the formula the loss uses) and, for a Bernoulli MLP decoder, `Vae.decoderReadout`.
 * It holds no copy of the weights: it reads the model's current ones (use it while the model lives).
 *
 * `logLikelihood` is `Vae.logLikelihood`. `logLikelihoodSamples` is what core's IWAE estimator uses: x once
 * per example and K samples of z at a time. For a Bernoulli MLP decoder (logits l = h·W + b, h the last hidden
 * layer) it is the same log-likelihood Σ_d x_d l_d − softplus(l_d) factored so that x·l is never formed
 * elementwise:
 *
 *     Σ_d x_d l_d = h·(W x) + b·x        (W x: [batch, hidden] once per example; then a [K, batch, hidden] product)
 *     Σ_d softplus(l_d) by `sumSoftplus` (relu, sigmoid, abs and one log per 64 elements)
 *
 * so the only K×d work left is the matrix product h·W and the softplus sum. Other decoders (conv, Gaussian)
 * tile x over the K samples and call `Vae.logLikelihood`. Both forms agree to float32 rounding.
 *
 * @example
 * import { createRng, importanceWeightedLogLikelihood } from '@latentlab/core';
 * const vae = new Vae({ latentDim: 2 });
 * const x = tf.randomUniform([4, 784]);
 * const p = vaeLogLikelihood(vae);
 * const rng = createRng(0);
 * const r = await importanceWeightedLogLikelihood(x, { encode: (t) => vae.posterior(t), ...p }, { k: 50, rng });
 * p.dispose();
 */
export function vaeLogLikelihood(vae: Vae): VaeLogLikelihood {
  const d = vae.inputSize;
  const readout = vae.config.decoder === 'bernoulli' ? vae.decoderReadout : null; // the Bernoulli MLP fast path

  const logLikelihood = (x: Tensor, z: Tensor2D): Tensor1D => vae.logLikelihood(x, z);

  const logLikelihoodSamples = (x: Tensor, z: Tensor3D): Tensor2D =>
    tidy(() => {
      const [kc, batch, latentDim] = z.shape;
      const flat = reshape(x, [batch, d]) as Tensor2D;
      const zRows = reshape(z, [kc * batch, latentDim]) as Tensor2D; // row k·batch + b is z_kb
      if (!readout) {
        return reshape(vae.logLikelihood(tile(flat, [kc, 1]), zRows), [kc, batch]) as Tensor2D;
      }
      const h = readout.hidden(zRows); // [kc·batch, hidden]
      const hidden = h.shape[1];
      const logits = add(matMul(h, readout.w), readout.b) as Tensor2D; // [kc·batch, d]
      const wx = matMul(flat, readout.w, false, true); // [batch, hidden]: W x_b
      const bx = reshape(matMul(flat, reshape(readout.b, [d, 1])), [batch]); // [batch]: b·x_b
      const xl = add(sum(mul(reshape(h, [kc, batch, hidden]), wx), 2), bx); // [kc, batch]: Σ_d x_d l_d
      return sub(xl, reshape(sumSoftplus(logits), [kc, batch])) as Tensor2D;
    });

  // Nothing to free: it holds no tensor of its own (`dispose` stays for the estimator's interface).
  return { logLikelihood, logLikelihoodSamples, dispose: () => {} };
}
