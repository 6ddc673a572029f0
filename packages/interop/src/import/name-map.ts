/**
 * Name maps: which tensor of a foreign state dict is which Latentlab layer. A map lists PyTorch module prefixes
 * (`fc1`, `encoder.layers.0.0`, …); the weight of prefix p is `p + '.weight'`, its bias `p + '.bias'`.
 */

/** The layers of an MLP VAE or autoencoder, named in a foreign state dict. */
export interface MlpNameMap {
  /** `'vae'` (heads `mu`, `logVar`) or `'autoencoder'` (code layer `z`). */
  kind: 'vae' | 'autoencoder';
  /** The encoder's hidden layers in order (x → h₁ → …), each followed by the activation. May be empty. */
  encoder: readonly string[];
  /** VAE: the layer giving μ (→ `encoder/mu`). */
  mu?: string;
  /** VAE: the layer giving log σ² (→ `encoder/logVar`). */
  logVar?: string;
  /** Autoencoder: the code layer (→ `encoder/z`, linear). */
  z?: string;
  /**
   * The decoder's layers in order (z → … → d), the activation after each but the last, whose output is the
   * logits (Bernoulli) or the mean (Gaussian): a final sigmoid in the source model is Latentlab's Bernoulli
   * decoder, which applies it in `decode`. Latentlab's decoder mirrors the encoder: the widths must be the
   * encoder's in reverse.
   */
  decoder: readonly string[];
  /** VAE with a learned Gaussian decoder variance: the scalar log c (→ `decoder/logC`). */
  logC?: string;
  /** Suffix of a layer's weight (default `'.weight'`). */
  weight?: string;
  /** Suffix of a layer's bias (default `'.bias'`). */
  bias?: string;
  /**
   * `'out-in'` (default): weights stored [out, in] as PyTorch's `nn.Linear` (y = x Wᵀ + b), transposed on import;
   * `'in-out'`: stored [in, out] as Keras/tfjs (y = x W + b).
   */
  layout?: 'out-in' | 'in-out';
}

/**
 * pytorch/examples `vae/main.py`: fc1 (784 → 400, ReLU), fc21 (μ), fc22 (log σ²), fc3 (20 → 400, ReLU), fc4
 * (400 → 784, sigmoid: Latentlab's Bernoulli decoder).
 * @example
 * // pytorch/examples' VAE state dict (vae/main.py: fc1, fc21 = μ, fc22 = log σ², fc3, fc4), 4-3-2 instead of 784-400-20:
 * const layer = (name: string, out: number, inp: number) => ({
 *   [`${name}.weight`]: { shape: [out, inp], values: new Float32Array(out * inp) },
 *   [`${name}.bias`]: { shape: [out], values: new Float32Array(out) },
 * });
 * const bytes = writeSafetensors({
 *   ...layer('fc1', 3, 4), ...layer('fc21', 2, 3), ...layer('fc22', 2, 3), ...layer('fc3', 3, 2), ...layer('fc4', 4, 3),
 * });
 * const vae = importMlp(readSafetensors(bytes).tensors, PYTORCH_EXAMPLES_VAE);
 * vae.config.decoder; // 'bernoulli'
 */
export const PYTORCH_EXAMPLES_VAE: Readonly<MlpNameMap> = Object.freeze({
  kind: 'vae',
  encoder: Object.freeze(['fc1']),
  mu: 'fc21',
  logVar: 'fc22',
  decoder: Object.freeze(['fc3', 'fc4']),
});

/** Counts the layers `${prefix}.<i>${suffix}` present for i = 0, 1, … (the first gap ends the count). */
function countLayers(names: ReadonlySet<string>, prefix: string, suffix: string): number {
  let i = 0;
  while (names.has(`${prefix}${i}${suffix}`)) i++;
  return i;
}

/**
 * Latentlab's own PyTorch naming (what `modelToSafetensors` writes and the reference PyTorch module defines):
 * `encoder.<i>`, `encoder.mu`, `encoder.log_var` (VAE) or `encoder.z` (autoencoder), `decoder.<i>`,
 * `decoder.log_c` (learned variance). The layer counts are read from `names`.
 * @example
 * import { Vae } from '@latentlab/models';
 * const { safetensors } = await modelToSafetensors(new Vae({ inputShape: [4], hiddenUnits: [3], latentDim: 2 }));
 * const file = readSafetensors(safetensors);
 * const map = latentlabNameMap('vae', new Set(file.tensors.keys()));
 * // { kind: 'vae', encoder: ['encoder.0'], decoder: ['decoder.0', 'decoder.1'], mu: 'encoder.mu', logVar: 'encoder.log_var' }
 */
export function latentlabNameMap(kind: 'vae' | 'autoencoder', names: ReadonlySet<string>): MlpNameMap {
  const encoder = Array.from({ length: countLayers(names, 'encoder.', '.weight') }, (_, i) => `encoder.${i}`);
  const decoder = Array.from({ length: countLayers(names, 'decoder.', '.weight') }, (_, i) => `decoder.${i}`);
  const heads = kind === 'vae' ? { mu: 'encoder.mu', logVar: 'encoder.log_var' } : { z: 'encoder.z' };
  return { kind, encoder, decoder, ...heads, ...(names.has('decoder.log_c') ? { logC: 'decoder.log_c' } : {}) };
}

/**
 * pythae's VAE / AE with its default MLP networks (`pythae/models/nn/default_architectures.py`):
 * `Encoder_VAE_MLP` / `Encoder_AE_MLP` hold `layers` = ModuleList of Sequential(Linear, ReLU) →
 * `encoder.layers.<i>.0`, then `encoder.embedding` (μ, or the AE's code) and `encoder.log_var` (VAE);
 * `Decoder_AE_MLP` holds `decoder.layers.<i>.0`, Linear + ReLU, the last Linear + Sigmoid (Latentlab's Bernoulli
 * decoder). The layer counts are read from `names` (the defaults have one hidden layer of 512 each way).
 * @example
 * // The tensor names of pythae's VAE with its default MLP networks (file.tensors.keys() of its safetensors):
 * const names = ['encoder.layers.0.0', 'encoder.embedding', 'encoder.log_var', 'decoder.layers.0.0', 'decoder.layers.1.0'];
 * const map = pythaeNameMap('vae', new Set(names.flatMap((n) => [`${n}.weight`, `${n}.bias`])));
 * // { kind: 'vae', encoder: ['encoder.layers.0.0'], decoder: ['decoder.layers.0.0', 'decoder.layers.1.0'],
 * //   mu: 'encoder.embedding', logVar: 'encoder.log_var' }
 */
export function pythaeNameMap(kind: 'vae' | 'autoencoder', names: ReadonlySet<string>): MlpNameMap {
  const encoder = Array.from(
    { length: countLayers(names, 'encoder.layers.', '.0.weight') },
    (_, i) => `encoder.layers.${i}.0`,
  );
  const decoder = Array.from(
    { length: countLayers(names, 'decoder.layers.', '.0.weight') },
    (_, i) => `decoder.layers.${i}.0`,
  );
  const heads = kind === 'vae' ? { mu: 'encoder.embedding', logVar: 'encoder.log_var' } : { z: 'encoder.embedding' };
  return { kind, encoder, decoder, ...heads };
}
