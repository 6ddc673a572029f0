import { createRng, LOG_2PI } from '@latentlab/core';
import {
  add,
  dispose,
  fused,
  matMul,
  mul,
  reshape,
  softplus,
  squaredDifference,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import { type Activation, activate } from '../layers/activation.js';
import { buildDecoder } from '../layers/networks.js';
import { ParameterSet } from '../model/parameter-set.js';
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

interface Dense {
  w: Tensor2D; // [in, out]
  b: Tensor1D; // [out]
}

function applyHidden(h: Tensor2D, layer: Dense, activation: Activation): Tensor2D {
  if (activation === 'relu') return fused.matMul({ a: h, b: layer.w, bias: layer.b, activation: 'relu' }) as Tensor2D;
  return activate(add(matMul(h, layer.w), layer.b), activation) as Tensor2D;
}

/**
 * log p(x|z) of a VAE's decoder, per row: Bernoulli Σ_i x_i·l_i − softplus(l_i) with logits l = f(z), or Gaussian
 * −‖x − f(z)‖²/(2c) − (d/2) log(2πc). Built from a copy of the decoder's weights (the logits are not public);
 * dispose it when done.
 *
 * `logLikelihood` is the formula as written, on rows (x repeated per sample). `logLikelihoodSamples` is what
 * core's IWAE estimator uses: x once per example and K samples of z at a time, and for a Bernoulli MLP decoder
 * (logits l = h·W + b, h the last hidden layer) it never forms x·l elementwise:
 *
 *     Σ_d x_d l_d = h·(W x) + b·x        (W x: [batch, hidden] once per example; then a [K, batch, hidden] product)
 *     Σ_d softplus(l_d) by `sumSoftplus` (relu, sigmoid, abs and one log per 64 elements)
 *
 * so the only K×d work left is the matrix product h·W and the softplus sum. Other decoders (conv, Gaussian)
 * broadcast x against the `[K, batch, d]` outputs instead of repeating it. Both forms agree to float32 rounding.
 *
 * @example
 * const p = vaeLogLikelihood(vae);
 * const r = await importanceWeightedLogLikelihood(x, { encode: (t) => vae.posterior(t), ...p }, { k: 5000, rng });
 * p.dispose();
 */
export function vaeLogLikelihood(vae: Vae): VaeLogLikelihood {
  const params = new ParameterSet();
  const config = vae.config;
  const decoder = buildDecoder(params, config, config.architecture, createRng(0));
  const weights = vae.getWeights();
  try {
    params.setWeights(Object.fromEntries(params.names.map((n) => [n, weights[n]!])), 'vaeLogLikelihood');
  } finally {
    dispose(Object.values(weights));
  }
  const c = vae.decoderVariance;
  const d = vae.inputSize;
  // The Bernoulli MLP fast path reads the layers from the copied variables: decoder/0 … decoder/L−1.
  const bernoulliMlp = config.architecture === 'mlp' && c === null;
  const byName = new Map(params.names.map((n, i) => [n, params.variables[i]!]));
  const layers: Dense[] = bernoulliMlp
    ? Array.from({ length: config.hiddenUnits.length + 1 }, (_, l) => ({
        w: byName.get(`decoder/${l}/w`) as Tensor as Tensor2D,
        b: byName.get(`decoder/${l}/b`) as Tensor as Tensor1D,
      }))
    : [];
  const last = layers.at(-1);
  const lastWT = last ? (transpose(last.w) as Tensor2D) : null; // [d, hidden]

  const logLikelihood = (x: Tensor, z: Tensor2D): Tensor1D =>
    tidy(() => {
      const flat = reshape(x, [x.shape[0]!, d]) as Tensor2D;
      const out = decoder.apply(z); // [rows, d]: logits or mean
      if (c === null) return sum(sub(mul(flat, out), softplus(out)), 1) as Tensor1D;
      return sub(mul(sum(squaredDifference(flat, out), 1), -0.5 / c), (d / 2) * (LOG_2PI + Math.log(c))) as Tensor1D;
    });

  const logLikelihoodSamples = (x: Tensor, z: Tensor3D): Tensor2D =>
    tidy(() => {
      const [kc, batch, latentDim] = z.shape;
      const flat = reshape(x, [batch, d]) as Tensor2D;
      const zRows = reshape(z, [kc * batch, latentDim]) as Tensor2D;
      if (last && lastWT) {
        const h = layers.slice(0, -1).reduce((a, layer) => applyHidden(a, layer, config.activation), zRows);
        const hidden = h.shape[1];
        const logits = add(matMul(h, last.w), last.b) as Tensor2D; // [kc·batch, d]
        const wx = matMul(flat, lastWT); // [batch, hidden]: W x_b
        const bx = reshape(matMul(flat, reshape(last.b, [d, 1])), [batch]); // [batch]: b·x_b
        const xl = add(sum(mul(reshape(h, [kc, batch, hidden]), wx), 2), bx); // [kc, batch]: Σ_d x_d l_d
        return sub(xl, reshape(sumSoftplus(logits), [kc, batch])) as Tensor2D;
      }
      const out = decoder.apply(zRows); // [kc·batch, d]
      const out3 = reshape(out, [kc, batch, d]);
      if (c === null) return sub(sum(mul(out3, flat), 2), reshape(sumSoftplus(out), [kc, batch])) as Tensor2D;
      const sq = sum(squaredDifference(out3, flat), 2);
      return sub(mul(sq, -0.5 / c), (d / 2) * (LOG_2PI + Math.log(c))) as Tensor2D;
    });

  return {
    logLikelihood,
    logLikelihoodSamples,
    dispose: () => {
      lastWT?.dispose();
      params.dispose();
    },
  };
}
