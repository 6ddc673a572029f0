import { Autoencoder, type AutoencoderConfig, ModelFormatError, Vae, type VaeConfig } from '@latentlab/models';
import { type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { MlpNameMap } from './name-map.js';

/** A named float32 array with its shape: a safetensors tensor, or any state-dict entry. */
export interface NamedArray {
  shape: readonly number[];
  values: Float32Array;
}

/** Options of {@link importMlp}. */
export interface ImportMlpOptions {
  /**
   * Config entries besides the sizes (which come from the tensors): `activation` (default 'relu'), `decoder`,
   * `decoderVariance`, `beta`, `reconstruction`, `seed`, …
   */
  config?: Partial<VaeConfig> | Partial<AutoencoderConfig>;
  /** Tensors that may be present without being used (default: none; any other unused tensor is an error). */
  ignore?: (name: string) => boolean;
  /** The function named in errors. */
  fn?: string;
}

/** One dense layer read from the source: W as [in, out] (Latentlab's layout), b [out]. */
interface Layer {
  source: string;
  target: string;
  inUnits: number;
  outUnits: number;
  w: Float32Array;
  b: Float32Array;
}

function readLayer(
  fn: string,
  tensors: ReadonlyMap<string, NamedArray>,
  map: MlpNameMap,
  source: string,
  target: string,
  used: Set<string>,
): Layer {
  const wName = `${source}${map.weight ?? '.weight'}`;
  const bName = `${source}${map.bias ?? '.bias'}`;
  const take = (name: string, what: string): NamedArray => {
    const t = tensors.get(name);
    if (!t)
      throw new ModelFormatError(
        fn,
        `the ${what} of layer '${target}' is missing`,
        `a tensor '${name}'`,
        `tensors ${[...tensors.keys()].slice(0, 12).join(', ')}`,
      );
    used.add(name);
    return t;
  };
  const w = take(wName, 'weight');
  const b = take(bName, 'bias');
  const outIn = (map.layout ?? 'out-in') === 'out-in';
  if (w.shape.length !== 2)
    throw new ModelFormatError(
      fn,
      `'${wName}' is not a matrix`,
      outIn ? '[out, in]' : '[in, out]',
      `[${w.shape.join(', ')}]`,
    );
  const [rows, cols] = w.shape as [number, number];
  const [inUnits, outUnits] = outIn ? [cols, rows] : [rows, cols];
  if (b.shape.length !== 1 || b.shape[0] !== outUnits) {
    throw new ModelFormatError(fn, `'${bName}' does not fit its weight`, `[${outUnits}]`, `[${b.shape.join(', ')}]`);
  }
  if (inUnits === 0 || outUnits === 0)
    throw new ModelFormatError(fn, `'${wName}' is empty`, 'sizes ≥ 1', `[${w.shape.join(', ')}]`);
  let values = w.values;
  if (outIn) {
    values = new Float32Array(inUnits * outUnits); // [in, out] from [out, in]
    for (let o = 0; o < outUnits; o++)
      for (let i = 0; i < inUnits; i++) values[i * outUnits + o] = w.values[o * inUnits + i]!;
  }
  return { source, target, inUnits, outUnits, w: values, b: b.values };
}

function chain(fn: string, layers: readonly Layer[], from: number): void {
  let units = from;
  for (const l of layers) {
    if (l.inUnits !== units) {
      throw new ModelFormatError(
        fn,
        `layer '${l.source}' does not take the previous layer's output`,
        `${units} inputs`,
        `${l.inUnits}`,
      );
    }
    units = l.outUnits;
  }
}

/**
 * Builds a Latentlab {@link Vae} or {@link Autoencoder} from a foreign MLP's tensors and a {@link MlpNameMap}:
 * the sizes (d, hidden widths, latent size) come from the tensors; `[out, in]` weights are transposed to
 * Latentlab's [in, out] (y = x·W + b); the encoder and decoder must chain, the decoder's widths must mirror the
 * encoder's (Latentlab's MLP), and every tensor must be used (or `ignore`d). Nothing is allocated before all
 * tensors are checked. The model is returned with these weights; the caller disposes it.
 *
 * @throws {ModelFormatError} naming the missing, misshapen or unused tensor.
 * @example
 * import type { Vae } from '@latentlab/models';
 * // pytorch/examples' VAE state dict (vae/main.py: fc1, fc21 = μ, fc22 = log σ², fc3, fc4), 4-3-2 instead of 784-400-20:
 * const layer = (name: string, out: number, inp: number) => ({
 *   [`${name}.weight`]: { shape: [out, inp], values: new Float32Array(out * inp) },
 *   [`${name}.bias`]: { shape: [out], values: new Float32Array(out) },
 * });
 * const bytes = writeSafetensors({
 *   ...layer('fc1', 3, 4), ...layer('fc21', 2, 3), ...layer('fc22', 2, 3), ...layer('fc3', 3, 2), ...layer('fc4', 4, 3),
 * });
 * const vae = importMlp(readSafetensors(bytes).tensors, PYTORCH_EXAMPLES_VAE) as Vae;
 * const { mu, logVar } = vae.posterior(tf.ones([1, 4])); // [1, 2] each
 */
export function importMlp(
  tensors: ReadonlyMap<string, NamedArray>,
  map: MlpNameMap,
  options: ImportMlpOptions = {},
): Vae | Autoencoder {
  const fn = options.fn ?? 'importMlp';
  const used = new Set<string>();
  const layers = map.encoder.map((s, i) => readLayer(fn, tensors, map, s, `encoder/${i}`, used));
  const heads =
    map.kind === 'vae'
      ? [
          readLayer(fn, tensors, map, requireName(fn, map.mu, 'mu'), 'encoder/mu', used),
          readLayer(fn, tensors, map, requireName(fn, map.logVar, 'logVar'), 'encoder/logVar', used),
        ]
      : [readLayer(fn, tensors, map, requireName(fn, map.z, 'z'), 'encoder/z', used)];
  const decoder = map.decoder.map((s, i) => readLayer(fn, tensors, map, s, `decoder/${i}`, used));
  if (decoder.length === 0)
    throw new ModelFormatError(fn, 'the decoder has no layer', 'at least one decoder layer', 'none');
  const d = layers[0]?.inUnits ?? heads[0]!.inUnits;
  chain(fn, layers, d);
  const trunkOut = layers.at(-1)?.outUnits ?? d;
  for (const h of heads) chain(fn, [h], trunkOut);
  const latentDim = heads[0]!.outUnits;
  if (heads[1] && heads[1].outUnits !== latentDim) {
    throw new ModelFormatError(
      fn,
      `log σ² layer '${heads[1].source}' differs from μ's width`,
      `${latentDim} outputs`,
      `${heads[1].outUnits}`,
    );
  }
  chain(fn, decoder, latentDim);
  const hiddenUnits = layers.map((l) => l.outUnits);
  const mirrored = [...hiddenUnits].reverse();
  const decoderWidths = decoder.slice(0, -1).map((l) => l.outUnits);
  if (decoder.at(-1)!.outUnits !== d || decoderWidths.join() !== mirrored.join()) {
    throw new ModelFormatError(
      fn,
      "the decoder does not mirror the encoder (Latentlab's MLP decoder is latentDim → reversed hidden widths → d)",
      `decoder widths ${[latentDim, ...mirrored, d].join('-')}`,
      `${[latentDim, ...decoder.map((l) => l.outUnits)].join('-')}`,
    );
  }
  let logC: number | null = null;
  if (map.logC !== undefined) {
    const t = tensors.get(map.logC);
    if (t?.values.length !== 1) {
      throw new ModelFormatError(
        fn,
        'the decoder log-variance is missing or not a scalar',
        `a scalar tensor '${map.logC}'`,
        t ? `[${t.shape.join(', ')}]` : 'none',
      );
    }
    used.add(map.logC);
    logC = t.values[0]!;
  }
  const unused = [...tensors.keys()].filter((n) => !used.has(n) && !(options.ignore?.(n) ?? false));
  if (unused.length > 0) {
    throw new ModelFormatError(
      fn,
      'tensors the name map does not use',
      'only the mapped layers (or pass ignore)',
      unused.slice(0, 12).join(', '),
    );
  }
  const sizes = { inputShape: [d], latentDim, hiddenUnits };
  let model: Vae | Autoencoder;
  if (map.kind === 'vae') {
    const c = {
      activation: 'relu',
      ...(options.config as Partial<VaeConfig>),
      ...sizes,
      architecture: 'mlp',
    } as Partial<VaeConfig>;
    if (logC !== null) Object.assign(c, { decoder: 'gaussian', decoderVariance: 'learned' });
    model = new Vae(c);
  } else {
    // No hidden layer: the linear autoencoder (whose config keeps any hiddenUnits given, unused).
    const c = { activation: 'relu', ...(options.config as Partial<AutoencoderConfig>) } as Partial<AutoencoderConfig>;
    model =
      hiddenUnits.length === 0
        ? new Autoencoder({ ...c, inputShape: [d], latentDim, architecture: 'linear' })
        : new Autoencoder({ ...c, ...sizes, architecture: 'mlp' });
  }
  const weights: Record<string, Tensor> = {};
  try {
    for (const l of [...layers, ...heads, ...decoder]) {
      weights[`${l.target}/w`] = tensor(l.w, [l.inUnits, l.outUnits], 'float32');
      weights[`${l.target}/b`] = tensor(l.b, [l.outUnits], 'float32');
    }
    if (logC !== null) weights['decoder/logC'] = tensor(logC, [], 'float32');
    model.setWeights(weights);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  return model;
}

function requireName(fn: string, name: string | undefined, field: string): string {
  if (name === undefined)
    throw new ModelFormatError(fn, `the name map has no '${field}' layer`, `map.${field}`, 'undefined');
  return name;
}
