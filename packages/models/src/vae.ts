import {
  checkInteger,
  checkOneOf,
  createRng,
  type DecoderLikelihood,
  decoderNll,
  formatShape,
  klWarmup,
  negativeElbo,
  Rng,
  type RngState,
  reparameterize,
  ShapeError,
  ValueError,
} from '@latentlab/core';
import {
  add,
  cast,
  clone,
  mean,
  mul,
  neg,
  reshape,
  type Scalar,
  scalar,
  sigmoid,
  slice,
  Tensor,
  type Tensor1D,
  type Tensor2D,
  tensor2d,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';
import { resolveVaeConfig, type VaeConfig } from './config.js';
import type { ModelInput } from './inputs.js';
import { applyDenseLayer, createDenseLayer, type DenseLayer } from './layers/mlp.js';
import { buildDecoder, buildTrunk, type Network } from './layers/networks.js';
import { LatentModel } from './model/latent-model.js';
import type { BatchRows, LossContext, LossTerms } from './model-contract.js';
import { bernoulliNllWebGpu } from './ops/webgpu/bernoulli-nll.js';
import { webgpuFastPath } from './ops/webgpu/fast-path.js';
import { reparameterizeKlWebGpu } from './ops/webgpu/reparameterize-kl.js';

/** The positions of a {@link Vae}'s noise streams (see {@link Vae.noiseState}). */
export interface VaeNoiseState {
  train: RngState;
  eval: RngState;
  sample: RngState;
}

/** ε for rows [offset, offset + n) of a batch of `rows.batchSize`: draws all batchSize × latentDim, keeps n rows. */
function shardNoise(rng: Rng, rows: BatchRows, n: number, latentDim: number): Tensor2D {
  if (!(Number.isInteger(rows.offset) && rows.offset >= 0 && rows.offset + n <= rows.batchSize)) {
    throw new ShapeError(
      'Vae.loss',
      'the shard does not fit in its batch',
      `offset + ${n} rows ≤ batchSize`,
      `offset ${rows.offset}, batchSize ${rows.batchSize}`,
    );
  }
  return tidy(() => slice(rng.normal([rows.batchSize, latentDim]), [rows.offset, 0], [n, latentDim]));
}

/** The last layer of a VAE's MLP decoder, f(z) = hidden(z)·W + b (see {@link Vae.decoderReadout}). */
export interface DecoderReadout {
  /** W: [hidden, inputSize], the model's variable. */
  readonly w: Tensor2D;
  /** b: [inputSize], the model's variable. */
  readonly b: Tensor1D;
  /** z [rows, latentDim] → the last hidden activations [rows, hidden] (the caller disposes them). */
  hidden(z: Tensor2D): Tensor2D;
}

/** The approximate posterior q(z|x) = N(μ, diag(exp(logVar))). (A type alias so `tf.dispose(posterior)` accepts it.) */
export type Posterior = {
  mu: Tensor2D; // [batch, latentDim]
  logVar: Tensor2D; // [batch, latentDim]
};

/**
 * A variational autoencoder (Kingma & Welling 2014; docs/math.md §4). The encoder trunk g₁ is shared by the two
 * heads of the diagonal Gaussian posterior, the decoder f parameterises p(x|z):
 *
 *     h = g₁(x),  μ = h·W_μ + b_μ,  logVar = h·W_v + b_v,  z = μ + σ ⊙ ε (ε ~ N(0, I), σ = exp(½ logVar))
 *     loss = (1/B) Σ_b −log p(x_b|z_b) + β_t · (1/B) Σ_b KL(N(μ_b, σ_b²) ‖ N(0, I))
 *
 * p(x|z) is Bernoulli with logits f(z), or Gaussian N(f(z), c·I) with c fixed (loss weight C = 1/(2c)) or
 * learned (one scalar log c). β_t = β·min(1, t/warmupSteps) with KL warm-up; with free bits λ the KL term is
 * Σ_j max(λ, mean_b KL_bj). Evaluation (`evaluate`, validation in `fit`) reports the plain negative ELBO
 * (β = 1, no free bits) with z sampled, reconstruction and KL apart. Configured by {@link VaeConfig}
 * (defaults {@link DEFAULT_VAE_CONFIG}: the pytorch/examples `vae/main.py` model).
 *
 * @example
 * const [trainSet, testSet] = [tf.randomUniform([16, 784]), tf.randomUniform([4, 784])]; // MNIST's in a real run
 * const vae = new Vae(); // 784-400-20, Bernoulli decoder
 * await vae.fit(trainSet, { epochs: 1, validationData: testSet, onEpochEnd: (l) => console.log(l.validation) });
 * const { mu, logVar } = vae.posterior(testSet); // [4, 20] each
 * const images = vae.sample(16);             // [16, 784], means of p(x|z) for z ~ N(0, I)
 * const path = await vae.interpolate(tf.slice(mu, [0, 0], [1, 20]), tf.slice(mu, [1, 0], [1, 20]), 8, 'slerp'); // [8, 784]
 * vae.dispose();
 */
export class Vae extends LatentModel {
  readonly config: Readonly<VaeConfig>;
  readonly #trunk: Network;
  readonly #muHead: DenseLayer;
  readonly #logVarHead: DenseLayer;
  readonly #decoder: Network;
  readonly #logC: Variable | null;
  #trainRng: Rng;
  #evalRng: Rng;
  #sampleRng: Rng;

  constructor(config: Partial<VaeConfig> = {}) {
    const c = resolveVaeConfig(config, 'Vae');
    super('Vae', c.inputShape, c.latentDim);
    this.config = c;
    const root = createRng(c.seed);
    const init = root.fork();
    this.#trainRng = root.fork();
    this.#evalRng = root.fork();
    this.#sampleRng = root.fork();
    this.#trunk = buildTrunk(this.params, c, init);
    this.#muHead = createDenseLayer(
      this.params,
      'encoder/mu',
      this.#trunk.outUnits,
      c.latentDim,
      'linear',
      c.init,
      init,
    );
    this.#logVarHead = createDenseLayer(
      this.params,
      'encoder/logVar',
      this.#trunk.outUnits,
      c.latentDim,
      'linear',
      c.init,
      init,
    );
    this.#decoder = buildDecoder(this.params, c, init);
    this.#logC =
      c.decoder === 'gaussian' && c.decoderVariance === 'learned' ? this.params.add('decoder/logC', scalar(0)) : null;
  }

  /**
   * The decoder variance c of a Gaussian decoder (its current value when learned, read back asynchronously, so
   * it works on every backend, webgpu included), or null for Bernoulli.
   *
   * @example
   * const vae = new Vae({ latentDim: 2, inputShape: [4], decoder: 'gaussian', decoderVariance: 'learned' });
   * await vae.decoderVariance(); // 1: log c starts at 0
   * vae.dispose();
   */
  async decoderVariance(): Promise<number | null> {
    if (this.config.decoder !== 'gaussian') return null;
    return this.#logC ? Math.exp((await this.#logC.data())[0]!) : (this.config.decoderVariance as number);
  }

  /**
   * The positions of the model's three noise streams (ε of training steps, ε of evaluation, prior samples), all
   * seeded from `config.seed`. Setting it (e.g. from a checkpoint, or in a copy of the model on a worker thread)
   * makes the model draw exactly the noise the original would draw next.
   *
   * @example
   * const vae = new Vae({ latentDim: 2 });
   * const copy = new Vae(vae.config);
   * copy.setWeights(vae.getWeights());
   * copy.noiseState = vae.noiseState; // copy.loss(x, ...) now equals vae.loss(x, ...)
   */
  get noiseState(): VaeNoiseState {
    return { train: this.#trainRng.state, eval: this.#evalRng.state, sample: this.#sampleRng.state };
  }

  set noiseState(state: VaeNoiseState) {
    const fn = 'Vae.noiseState';
    if (state === null || typeof state !== 'object') {
      throw new ValueError(fn, 'the state is not an object', '{ train, eval, sample } Rng states', String(state));
    }
    const next = [state.train, state.eval, state.sample].map((s) => Rng.fromState(s)); // checks each, then assigns
    [this.#trainRng, this.#evalRng, this.#sampleRng] = next as [Rng, Rng, Rng];
  }

  /** q(z|x): x [batch, ...inputShape] (any {@link ModelInput}) → { mu, logVar }, each [batch, latentDim] (the caller disposes both). */
  posterior(x: ModelInput): Posterior {
    return tidy(() => this.#posteriorFlat(this.flatInput('Vae.posterior', x)));
  }

  /** The posterior mean μ(x), the deterministic code: [batch, ...inputShape] (any {@link ModelInput}) → [batch, latentDim]. */
  encode(x: ModelInput): Tensor2D {
    return tidy(() => this.#posteriorFlat(this.flatInput('Vae.encode', x)).mu);
  }

  /** The mean of p(x|z) (sigmoid(logits) or f(z)): z [batch, latentDim] (any {@link ModelInput}) → [batch, ...inputShape]. */
  decode(z: ModelInput): Tensor {
    return tidy(() => {
      const code = this.checkCode('Vae.decode', z);
      const out = this.#decoder.apply(code);
      return this.toInputShape(this.config.decoder === 'bernoulli' ? sigmoid(out) : out);
    });
  }

  /**
   * n samples of the generative model's mean: z ~ N(0, I), x = E[x|z] → [n, ...inputShape]. Draws from `rng`
   * when given, else from the model's own sampling stream (seeded by `config.seed`).
   */
  sample(n: number, rng?: Rng): Tensor {
    checkInteger('Vae.sample', 'n', n, 1);
    this.assertLive('Vae.sample');
    return tidy(() => this.decode((rng ?? this.#sampleRng).normal([n, this.latentDim])));
  }

  /**
   * Decodes `steps` codes on the path from a to b ([latentDim] or [1, latentDim]), see {@link interpolateLatents}:
   * → [steps, ...inputShape].
   */
  async interpolate(a: Tensor, b: Tensor, steps: number, mode: 'linear' | 'slerp' = 'linear'): Promise<Tensor> {
    this.assertLive('Vae.interpolate');
    const z = await interpolateLatents(a, b, steps, mode, 'Vae.interpolate');
    try {
      return this.decode(z);
    } finally {
      z.dispose();
    }
  }

  /** See {@link TrainableModel.loss}: the β/warm-up/free-bits objective in training, the plain negative ELBO otherwise. */
  loss(x: Tensor2D, { step, training, rows }: LossContext): LossTerms {
    const c = this.config;
    const { mu, logVar } = this.#posteriorFlat(x);
    const rng = training ? this.#trainRng : this.#evalRng;
    // A shard of a larger batch draws ε for the whole batch and keeps its rows, so the noise (and the stream's
    // position) is the same however a batch is split over workers.
    const eps = rows ? shardNoise(rng, rows, x.shape[0], this.latentDim) : rng;
    const beta = !training
      ? 1
      : c.klWarmupSteps > 0
        ? klWarmup(step, { warmupSteps: c.klWarmupSteps, betaMax: c.beta })
        : c.beta;
    const lambda = training ? c.freeBits : 0;
    if (webgpuFastPath() && c.decoder === 'bernoulli' && lambda === 0) {
      // WebGPU fast path (src/ops/webgpu): the same terms as negativeElbo below, with z and the per-example KL in
      // one kernel (the same ε as reparameterize) and the Bernoulli NLL in one dispatch each way.
      const epsT = eps instanceof Rng ? eps.normal([x.shape[0], this.latentDim]) : eps; // [batch, latentDim]
      const { z, kl: klRows } = reparameterizeKlWebGpu(mu, logVar, epsT);
      const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
      const reconstruction = mean(bernoulliNllWebGpu(xf, this.#decoder.apply(z))) as Scalar; // batch mean
      const kl = mean(klRows) as Scalar;
      return { reconstruction, kl, total: add(reconstruction, mul(kl, beta)) as Scalar };
    }
    const z = reparameterize(mu, logVar, eps); // [batch, latentDim]
    const out = this.#decoder.apply(z); // [batch, d]: logits or mean
    return negativeElbo(x, out, mu, logVar, { ...this.#likelihood(), beta, freeBits: lambda });
  }

  /**
   * The decoder's output f(z) before the link, flat: z `[batch, latentDim]` (any {@link ModelInput}) →
   * `[batch, inputSize]`, the logits of p(x|z) for a Bernoulli decoder, its mean for a Gaussian one. `decode` is
   * sigmoid(f(z)) or f(z) reshaped to the input shape. The caller disposes the result.
   *
   * @example
   * const vae = new Vae();
   * const z = tf.randomNormal([4, 20]);
   * const logits = vae.decodeLogits(z); // [4, 784]; sigmoid(logits) is vae.decode(z) flattened
   */
  decodeLogits(z: ModelInput): Tensor2D {
    return tidy(() => this.#decoder.apply(this.checkCode('Vae.decodeLogits', z)));
  }

  /**
   * log p(x_r|z_r) per row (docs/math.md §4–5): −{@link decoderNll} of the decoder's likelihood, the same formula
   * the loss uses (Bernoulli from logits; Gaussian with the fixed or current learned variance c, constant
   * included). x: [rows, ...inputShape] or [rows, inputSize]; z: [rows, latentDim] → [rows] nats. This is the
   * log p(x|z) of importance-weighted evaluation. The caller disposes the result.
   *
   * @example
   * const vae = new Vae();
   * const x = tf.randomUniform([4, 784]);
   * const ll = vae.logLikelihood(x, vae.encode(x)); // [4]: log p(x|z = μ(x))
   */
  logLikelihood(x: Tensor, z: Tensor2D): Tensor1D {
    const fn = 'Vae.logLikelihood';
    this.assertLive(fn);
    if (!(x instanceof Tensor) || !(z instanceof Tensor)) {
      throw new ValueError(fn, 'x and z must be tensors', 'x [rows, ...inputShape], z [rows, latentDim]', typeof x);
    }
    const rows = x.shape[0] ?? 0;
    if (x.rank < 2 || x.size !== rows * this.inputSize || z.rank !== 2 || z.shape[0] !== rows) {
      throw new ShapeError(
        fn,
        'x and z do not fit the model or each other',
        `x [rows, ${this.inputShape.join(', ')}] or [rows, ${this.inputSize}], z [rows, ${this.latentDim}]`,
        `x ${formatShape(x.shape)}, z ${formatShape(z.shape)}`,
      );
    }
    return tidy(() => {
      const out = this.decodeLogits(z); // [rows, d]
      const flat = reshape(x, [rows, this.inputSize]);
      return neg(decoderNll(flat, out, this.#likelihood())) as Tensor1D;
    });
  }

  /**
   * The last layer of an MLP decoder, f(z) = hidden(z)·W + b, for evaluators that factor the
   * Bernoulli term through it: `w` [hidden, inputSize] and `b` [inputSize] are the model's own variables (not
   * copies: do not dispose them), `hidden(z)` the activations of the layer before ([rows, hidden]; z itself when
   * there is no hidden layer). Null for a conv decoder.
   *
   * @example
   * const vae = new Vae();
   * const r = vae.decoderReadout; // { w, b, hidden } for the 784-400-20 reference VAE: w [400, 784]
   */
  get decoderReadout(): DecoderReadout | null {
    this.assertLive('Vae.decoderReadout');
    const c = this.config;
    if (c.architecture === 'conv') return null;
    const depth = c.hiddenUnits.length; // index of the last decoder layer
    const byName = new Map(this.weightNames.map((n, i) => [n, this.trainableVariables[i]!]));
    const layer = (l: number): DenseLayer => ({
      w: byName.get(`decoder/${l}/w`) as Variable,
      b: byName.get(`decoder/${l}/b`) as Variable,
      activation: l === depth ? 'linear' : c.activation,
    });
    const hiddenLayers = Array.from({ length: depth }, (_, l) => layer(l));
    const last = layer(depth);
    return {
      w: last.w as Tensor as Tensor2D,
      b: last.b as Tensor as Tensor1D,
      hidden: (z) => tidy(() => hiddenLayers.reduce((h, dense) => applyDenseLayer(dense, h), clone(z))),
    };
  }

  /** The decoder's likelihood p(x|z) as core's loss functions take it. */
  #likelihood(): DecoderLikelihood {
    const c = this.config;
    if (c.decoder === 'bernoulli') return { decoder: 'bernoulli' };
    return this.#logC
      ? { decoder: 'gaussian', logC: this.#logC as Tensor as Scalar }
      : { decoder: 'gaussian', c: c.decoderVariance as number };
  }

  /** x is always data here: no layer computes a gradient with respect to it. */
  #posteriorFlat(x: Tensor2D): Posterior {
    const h = this.#trunk.apply(x, true);
    const hIsData = this.#trunk.identity;
    return { mu: applyDenseLayer(this.#muHead, h, hIsData), logVar: applyDenseLayer(this.#logVarHead, h, hIsData) };
  }
}

/**
 * `steps` codes from a to b (each [latentDim] or [1, latentDim]), t_i = i/(steps − 1), computed in float64:
 *
 *     linear: z(t) = (1 − t)·a + t·b
 *     slerp:  z(t) = sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b,   cos Ω = a·b / (‖a‖‖b‖)
 *
 * Slerp (Shoemake 1985; White 2016 for generative models) keeps the norm of a path between two typical
 * draws of N(0, I) near √latentDim, where the prior's mass is; it falls back to linear when a and b are
 * (anti)parallel or zero (sin Ω < 1e−7). Returns [steps, latentDim]. a and b are read back asynchronously (so
 * it works on every backend, webgpu included).
 *
 * @example
 * await interpolateLatents(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 3, 'slerp'); // [[1, 0], [√½, √½], [0, 1]]
 */
export async function interpolateLatents(
  a: Tensor,
  b: Tensor,
  steps: number,
  mode: 'linear' | 'slerp' = 'linear',
  fn = 'interpolateLatents',
): Promise<Tensor2D> {
  checkInteger(fn, 'steps', steps, 2);
  checkOneOf(fn, 'mode', mode, ['linear', 'slerp'] as const);
  checkCode(fn, 'a', a);
  checkCode(fn, 'b', b);
  if (a.size !== b.size) {
    throw new ShapeError(fn, 'a and b have different sizes', `b of size ${a.size}`, formatShape(b.shape));
  }
  const [va, vb] = (await Promise.all([a.data(), b.data()])).map((v) => Float64Array.from(v)) as [
    Float64Array,
    Float64Array,
  ];
  const dot = va.reduce((s, v, i) => s + v * vb[i]!, 0);
  const na = Math.hypot(...va);
  const nb = Math.hypot(...vb);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
  const sinOmega = Math.sin(omega);
  const slerp = mode === 'slerp' && na > 0 && nb > 0 && sinOmega > 1e-7;
  const out = new Float32Array(steps * va.length);
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    const wa = slerp ? Math.sin((1 - t) * omega) / sinOmega : 1 - t;
    const wb = slerp ? Math.sin(t * omega) / sinOmega : t;
    for (let j = 0; j < va.length; j++) out[i * va.length + j] = wa * va[j]! + wb * vb[j]!;
  }
  return tensor2d(out, [steps, va.length]);
}

function checkCode(fn: string, name: string, t: Tensor): void {
  if (!(t instanceof Tensor) || !(t.rank === 1 || (t.rank === 2 && t.shape[0] === 1)) || t.size === 0) {
    throw new ShapeError(
      fn,
      `${name} is not a single code`,
      '[latentDim] or [1, latentDim]',
      t instanceof Tensor ? formatShape(t.shape) : String(t),
    );
  }
}
