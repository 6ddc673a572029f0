import { batchMean, bernoulliNll, createRng, meanSquaredError } from '@latentlab/core';
import { sigmoid, type Tensor, type Tensor2D, tidy } from '@tensorflow/tfjs-core';
import { type AutoencoderConfig, resolveAutoencoderConfig } from './config.js';
import type { ModelInput } from './inputs.js';
import { applyDenseLayer, createDenseLayer, type DenseLayer } from './layers/mlp.js';
import { buildDecoder, buildTrunk, type Network } from './layers/networks.js';
import { LatentModel } from './model/latent-model.js';
import type { LossTerms } from './model-contract.js';

/**
 * A deterministic autoencoder (docs/math.md §1, §3): an encoder e and a decoder d trained to minimise the
 * reconstruction error ε(x, d(e(x))):
 *
 *     z = e(x) = g(x)·W_z + b_z        x̂ = d(z)          (g: the trunk, identity for 'linear')
 *     'mse':       loss = (1/B) Σ_b (1/d) ‖x_b − x̂_b‖²
 *     'bernoulli': loss = (1/B) Σ_b Σ_i BCE(x_bi, logit_bi),  x̂ = sigmoid(logits)
 *
 * Architectures: `'linear'` (one linear layer each way: PCA's counterpart, reaching PCA's subspace but not
 * necessarily its orthonormal basis), `'mlp'` and `'conv'`. Configured by {@link AutoencoderConfig}
 * (defaults {@link DEFAULT_AUTOENCODER_CONFIG}); trained by `fit` (Adam by default).
 *
 * @example
 * const x = tf.randomUniform([8, 784]); // 8 rows standing in for MNIST's 60000
 * const ae = new Autoencoder({ architecture: 'linear', latentDim: 10 });
 * await ae.fit(x, { epochs: 1, optimizer: { name: 'adam', learningRate: 1e-3 } });
 * const z = ae.encode(x);        // [8, 10]
 * const xHat = ae.decode(z);     // [8, 784]
 * ae.dispose();
 */
export class Autoencoder extends LatentModel {
  readonly config: Readonly<AutoencoderConfig>;
  readonly #trunk: Network;
  readonly #head: DenseLayer;
  readonly #decoder: Network;

  constructor(config: Partial<AutoencoderConfig> = {}) {
    const c = resolveAutoencoderConfig(config, 'Autoencoder');
    super('Autoencoder', c.inputShape, c.latentDim);
    this.config = c;
    const rng = createRng(c.seed);
    this.#trunk = buildTrunk(this.params, c, rng);
    this.#head = createDenseLayer(this.params, 'encoder/z', this.#trunk.outUnits, c.latentDim, 'linear', c.init, rng);
    this.#decoder = buildDecoder(this.params, c, rng);
  }

  /** z = e(x): x [batch, ...inputShape] (any {@link ModelInput}) → [batch, latentDim]. */
  encode(x: ModelInput): Tensor2D {
    return tidy(() => this.#encodeFlat(this.flatInput('Autoencoder.encode', x)));
  }

  /** x̂ = d(z) in data space (sigmoid of the logits with a Bernoulli loss): [batch, latentDim] → [batch, ...inputShape]. */
  decode(z: ModelInput): Tensor {
    return tidy(() => {
      const code = this.checkCode('Autoencoder.decode', z);
      const out = this.#decoder.apply(code);
      return this.toInputShape(this.config.reconstruction === 'bernoulli' ? sigmoid(out) : out);
    });
  }

  /** The reconstruction loss of x [batch, d] (the same in training and evaluation; `kl` is null). */
  loss(x: Tensor2D, _context: { step: number; training: boolean }): LossTerms {
    const out = this.#decoder.apply(this.#encodeFlat(x)); // [batch, d]: x̂ or logits
    const reconstruction =
      this.config.reconstruction === 'mse' ? batchMean(meanSquaredError(x, out)) : batchMean(bernoulliNll(x, out));
    return { total: reconstruction, reconstruction, kl: null };
  }

  /** x is always data here: no layer computes a gradient with respect to it. */
  #encodeFlat(x: Tensor2D): Tensor2D {
    return applyDenseLayer(this.#head, this.#trunk.apply(x, true), this.#trunk.identity);
  }
}
