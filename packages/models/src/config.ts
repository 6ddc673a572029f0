import { checkInteger, checkIntegerList, checkKeys, checkNumber, checkOneOf, ValueError } from '@latentlab/core';
import { ACTIVATIONS, type Activation } from './layers/activation.js';
import { INITIALIZERS, type Initializer } from './layers/init.js';

/** What every encoder/decoder pair is built from (shared by {@link AutoencoderConfig} and {@link VaeConfig}). */
export interface NetworkConfig {
  /** Shape of one example: `[d]` for an MLP (e.g. [784]), `[height, width, channels]` for a convolutional model. */
  inputShape: readonly number[];
  /** Dimension of the code z, an integer ≥ 1. */
  latentDim: number;
  /**
   * MLP: widths of the encoder's hidden layers (the decoder mirrors them, e.g. [400] ⇒ d-400-z-400-d).
   * Convolutional: widths of dense layers between the flattened feature map and the code (may be empty).
   */
  hiddenUnits: readonly number[];
  /** Convolutional only: output channels of each stride-2 block (the spatial size halves at each). */
  convFilters: readonly number[];
  /** Convolutional only: kernel size k of every k×k convolution. */
  kernelSize: number;
  /** Nonlinearity of every hidden layer. */
  activation: Activation;
  /** Weight initialisation (`'torch'`: PyTorch's default, see `initWeight`). */
  init: Initializer;
  /** Seed of the initial weights and of every random stream of the model (an integer ≥ 0). */
  seed: number;
}

/** Hyperparameters of an {@link Autoencoder}. */
export interface AutoencoderConfig extends NetworkConfig {
  /**
   * `'linear'`: one linear layer each way, no activation (PCA's counterpart, docs/math.md §3; `hiddenUnits` ignored);
   * `'mlp'`: a deep MLP; `'conv'`: stride-2 convolutions down, upsampling + convolutions up.
   */
  architecture: 'linear' | 'mlp' | 'conv';
  /**
   * `'mse'`: (1/B) Σ_b (1/d) ‖x_b − x̂_b‖² with x̂ the decoder output;
   * `'bernoulli'`: (1/B) Σ_b Σ_i BCE(x_bi, logit_bi), the decoder outputs logits and x̂ = sigmoid(logits).
   */
  reconstruction: 'mse' | 'bernoulli';
}

/** The defaults both model families share: MNIST-sized input, an MLP with ReLU, 3×3 kernels, PyTorch init, seed 0. */
const NETWORK_DEFAULTS = {
  inputShape: Object.freeze([784]),
  architecture: 'mlp',
  kernelSize: 3,
  activation: 'relu',
  init: 'torch',
  seed: 0,
} as const;

/** A small MNIST-sized deep autoencoder: 784-256-32-256-784, ReLU, MSE. */
export const DEFAULT_AUTOENCODER_CONFIG: Readonly<AutoencoderConfig> = Object.freeze({
  ...NETWORK_DEFAULTS,
  latentDim: 32,
  hiddenUnits: Object.freeze([256]),
  convFilters: Object.freeze([16, 32]),
  reconstruction: 'mse',
});

/** Hyperparameters of a {@link Vae} (nanoGPT's `GPTConfig` pattern: an interface plus frozen defaults). */
export interface VaeConfig extends NetworkConfig {
  /** `'mlp'` or `'conv'` (see {@link AutoencoderConfig.architecture}). */
  architecture: 'mlp' | 'conv';
  /** p(x|z): Bernoulli with logits f(z), or Gaussian N(f(z), c·I). */
  decoder: 'bernoulli' | 'gaussian';
  /**
   * Gaussian decoder only: the fixed variance c (> 0; the loss weight is C = 1/(2c)), or `'learned'`: one
   * scalar log c trained with the model (σ-VAE, Rybkin et al. 2021).
   */
  decoderVariance: number | 'learned';
  /** Weight β on the KL term (β-VAE); 1 gives the ELBO. */
  beta: number;
  /** Linear KL warm-up: β rises from 0 to `beta` over this many training steps (0: off). */
  klWarmupSteps: number;
  /** Free bits λ in nats per latent dimension (0: off), see `freeBits` in @latentlab/core. */
  freeBits: number;
}

/** The pytorch/examples `vae/main.py` model: 784-400-20 MLP, ReLU, Bernoulli decoder, β = 1, PyTorch init. */
export const DEFAULT_VAE_CONFIG: Readonly<VaeConfig> = Object.freeze({
  ...NETWORK_DEFAULTS,
  decoder: 'bernoulli',
  decoderVariance: 1,
  latentDim: 20,
  hiddenUnits: Object.freeze([400]),
  convFilters: Object.freeze([32, 64]),
  beta: 1,
  klWarmupSteps: 0,
  freeBits: 0,
});

/** Merges `config` over `defaults` (ignoring undefined entries) and freezes the result. */
function merge<T extends object>(defaults: Readonly<T>, config: Partial<T>): Readonly<T> {
  if (config === null || typeof config !== 'object') return { ...defaults };
  const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as T;
}

function checkNetwork(fn: string, c: NetworkConfig, architecture: string): void {
  const shape = checkIntegerList(fn, 'inputShape', c.inputShape, 1, false);
  if (architecture === 'conv' && shape.length !== 3) {
    throw new ValueError(
      fn,
      "a 'conv' model needs an image input shape",
      '[height, width, channels]',
      `[${shape.join(', ')}]`,
    );
  }
  if (architecture !== 'conv' && shape.length !== 1) {
    throw new ValueError(fn, `an '${architecture}' model takes flat inputs`, '[d]', `[${shape.join(', ')}]`);
  }
  checkInteger(fn, 'latentDim', c.latentDim, 1);
  checkIntegerList(fn, 'hiddenUnits', c.hiddenUnits, 1, true);
  if (architecture === 'conv') {
    checkIntegerList(fn, 'convFilters', c.convFilters, 1, false);
    checkInteger(fn, 'kernelSize', c.kernelSize, 1);
  }
  checkOneOf(fn, 'activation', c.activation, ACTIVATIONS);
  checkOneOf(fn, 'init', c.init, INITIALIZERS);
  checkInteger(fn, 'seed', c.seed, 0);
}

/**
 * The full, checked, frozen {@link AutoencoderConfig}: `config` over {@link DEFAULT_AUTOENCODER_CONFIG}.
 * @throws {ValueError} naming `fn` for an unknown key, a latent size < 1, an unknown architecture, a non-image shape for 'conv', ...
 * @example
 * resolveAutoencoderConfig({ architecture: 'linear', latentDim: 10 }); // inputShape [784], reconstruction 'mse', ...
 */
export function resolveAutoencoderConfig(
  config: Partial<AutoencoderConfig> = {},
  fn = 'Autoencoder',
): Readonly<AutoencoderConfig> {
  checkKeys(fn, 'config', config, Object.keys(DEFAULT_AUTOENCODER_CONFIG));
  const c = merge(DEFAULT_AUTOENCODER_CONFIG, config);
  checkOneOf(fn, 'architecture', c.architecture, ['linear', 'mlp', 'conv'] as const);
  checkNetwork(fn, c, c.architecture);
  checkOneOf(fn, 'reconstruction', c.reconstruction, ['mse', 'bernoulli'] as const);
  return Object.freeze({
    ...c,
    inputShape: Object.freeze([...c.inputShape]),
    hiddenUnits: Object.freeze([...c.hiddenUnits]),
    convFilters: Object.freeze([...c.convFilters]),
  });
}

/**
 * The full, checked, frozen {@link VaeConfig}: `config` over {@link DEFAULT_VAE_CONFIG}.
 * @throws {ValueError} naming `fn` for an unknown key, a latent size < 1, c ≤ 0, β < 0, negative free bits, ...
 * @example
 * resolveVaeConfig({ latentDim: 2 }); // the reference MLP with a 2-d code
 */
export function resolveVaeConfig(config: Partial<VaeConfig> = {}, fn = 'Vae'): Readonly<VaeConfig> {
  checkKeys(fn, 'config', config, Object.keys(DEFAULT_VAE_CONFIG));
  const c = merge(DEFAULT_VAE_CONFIG, config);
  checkOneOf(fn, 'architecture', c.architecture, ['mlp', 'conv'] as const);
  checkNetwork(fn, c, c.architecture);
  checkOneOf(fn, 'decoder', c.decoder, ['bernoulli', 'gaussian'] as const);
  if (c.decoderVariance !== 'learned') checkNumber(fn, 'decoderVariance (c)', c.decoderVariance, { positive: true });
  checkNumber(fn, 'beta', c.beta, { min: 0 });
  checkInteger(fn, 'klWarmupSteps', c.klWarmupSteps, 0);
  checkNumber(fn, 'freeBits', c.freeBits, { min: 0 });
  return Object.freeze({
    ...c,
    inputShape: Object.freeze([...c.inputShape]),
    hiddenUnits: Object.freeze([...c.hiddenUnits]),
    convFilters: Object.freeze([...c.convFilters]),
  });
}
