import type { Activation, Autoencoder, AutoencoderConfig, Vae, VaeConfig } from '@latentlab/models';
import { ModelFormatError } from '@latentlab/models';
import { importMlp, type NamedArray } from './mlp.js';

/** A tfjs Layers model as `tensorflowjs_converter` (or tfjs-layers' `model.save`) writes it. */
export interface TfjsLayersModel {
  /** The parsed `model.json`: `modelTopology` (with `model_config` from the converter) and `weightsManifest`. */
  modelJson: unknown;
  /** The weight files of the manifest, concatenated in manifest order (groups, then paths). */
  weights: Uint8Array | ArrayBuffer;
}

/** Options of {@link importTfjsLayers}. */
export interface ImportTfjsLayersOptions {
  kind: 'vae' | 'autoencoder';
  /** VAE: the name of the encoder's μ Dense layer (default `'z_mean'`, as keras.io's VAE example). */
  mu?: string;
  /** VAE: the name of the log σ² Dense layer (default `'z_log_var'`). */
  logVar?: string;
  /** Config entries besides sizes and activation (`beta`, `seed`, …). */
  config?: Partial<VaeConfig> | Partial<AutoencoderConfig>;
}

/** Keras activation names → Latentlab's (Keras' leaky_relu has α = 0.3, Latentlab's 0.2: refused). */
const KERAS_ACTIVATIONS: Readonly<Record<string, Activation>> = {
  relu: 'relu',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  elu: 'elu',
  linear: 'linear',
};
/** Layers that compute nothing at inference. */
const PASS_THROUGH = new Set(['InputLayer', 'Dropout', 'Flatten']);

interface DenseInfo {
  name: string;
  units: number;
  activation: Activation;
}

/** Manifest entries with their byte offsets in the concatenated weights. */
function manifest(
  fn: string,
  part: string,
  json: Record<string, unknown>,
  byteLength: number,
): Map<string, { shape: number[]; offset: number }> {
  const groups = json.weightsManifest;
  if (!Array.isArray(groups))
    throw new ModelFormatError(
      fn,
      `${part}: model.json has no weightsManifest`,
      'a weightsManifest list',
      typeof groups,
    );
  const out = new Map<string, { shape: number[]; offset: number }>();
  let offset = 0;
  for (const g of groups as { weights?: unknown }[]) {
    for (const w of (Array.isArray(g?.weights) ? g.weights : []) as Record<string, unknown>[]) {
      const shape = w.shape;
      if (
        typeof w.name !== 'string' ||
        !Array.isArray(shape) ||
        !shape.every((s) => Number.isSafeInteger(s) && s >= 0)
      ) {
        throw new ModelFormatError(
          fn,
          `${part}: a malformed weight entry`,
          '{ name, shape, dtype }',
          JSON.stringify(w).slice(0, 80),
        );
      }
      if (w.dtype !== 'float32' || w.quantization !== undefined) {
        throw new ModelFormatError(
          fn,
          `${part}: weight '${w.name}' is not plain float32`,
          "dtype 'float32', unquantized",
          `${String(w.dtype)}${w.quantization ? ', quantized' : ''}`,
        );
      }
      out.set(w.name, { shape: shape as number[], offset });
      offset += 4 * (shape as number[]).reduce((a, b) => a * b, 1);
    }
  }
  if (offset !== byteLength)
    throw new ModelFormatError(
      fn,
      `${part}: the weight files do not match the manifest`,
      `${offset} bytes`,
      `${byteLength} bytes`,
    );
  return out;
}

/** The Dense layers of a Sequential or functional model, in order. */
function denseLayers(fn: string, part: string, json: Record<string, unknown>): DenseInfo[] {
  const topology = json.modelTopology as Record<string, unknown> | undefined;
  const modelConfig = (topology?.model_config ?? topology) as { config?: { layers?: unknown } } | undefined;
  const layers = modelConfig?.config?.layers;
  if (!Array.isArray(layers))
    throw new ModelFormatError(
      fn,
      `${part}: model.json has no layer list`,
      'modelTopology(.model_config).config.layers',
      typeof layers,
    );
  const out: DenseInfo[] = [];
  for (const layer of layers as { class_name?: string; config?: Record<string, unknown> }[]) {
    const cls = String(layer?.class_name);
    if (PASS_THROUGH.has(cls)) continue;
    const c = layer.config ?? {};
    if (cls !== 'Dense')
      throw new ModelFormatError(
        fn,
        `${part}: layer '${String(c.name)}' is not Dense`,
        'Dense layers (and InputLayer, Dropout, Flatten)',
        cls,
      );
    const activation = KERAS_ACTIVATIONS[String(c.activation ?? 'linear')];
    if (!activation)
      throw new ModelFormatError(
        fn,
        `${part}: Dense '${String(c.name)}' has an activation Latentlab lacks`,
        Object.keys(KERAS_ACTIVATIONS).join(', '),
        String(c.activation),
      );
    if (c.use_bias === false)
      throw new ModelFormatError(fn, `${part}: Dense '${String(c.name)}' has no bias`, 'use_bias: true', 'false');
    out.push({ name: String(c.name), units: Number(c.units), activation });
  }
  return out;
}

/**
 * Imports a Keras / tfjs Layers model made of Dense stacks (what `tensorflowjs_converter --input_format keras`
 * writes: model.json + weight shards) as a Latentlab {@link Vae} or {@link Autoencoder}:
 * - encoder, VAE: Dense hidden layers, then two Dense heads named `mu` / `logVar` (defaults `z_mean`,
 *   `z_log_var`); autoencoder: Dense hidden layers, the last Dense (linear) is the code;
 * - decoder: Dense layers, the hidden ones with the encoder's activation, the last `sigmoid` (→ Bernoulli
 *   decoder / `reconstruction: 'bernoulli'`, sigmoid applied by `decode`) or `linear` (→ Gaussian / MSE).
 * Kernels are [in, out] as Latentlab's (no transpose). Weights must be unquantized float32.
 *
 * @throws {ModelFormatError} another layer type or activation, a manifest that does not match the weights, sizes
 *   that do not chain or mirror.
 * @example
 * import type { Vae } from '@latentlab/models';
 * // Keras Dense models as tensorflowjs_converter writes them: model.json (layers, weight manifest) and the weights.
 * const keras = (layers: [name: string, inputs: number, units: number, activation: string][]) => ({
 *   modelJson: {
 *     modelTopology: {
 *       model_config: { config: { layers: layers.map(([name, , units, activation]) => ({ class_name: 'Dense', config: { name, units, activation } })) } },
 *     },
 *     weightsManifest: [{ weights: layers.flatMap(([name, inputs, units]) => [
 *       { name: `${name}/kernel`, shape: [inputs, units], dtype: 'float32' },
 *       { name: `${name}/bias`, shape: [units], dtype: 'float32' },
 *     ]) }],
 *   },
 *   weights: new Float32Array(layers.reduce((sum, [, inputs, units]) => sum + (inputs + 1) * units, 0)).buffer,
 * });
 * // keras.io's VAE example, 4-3-2: an encoder with the heads z_mean and z_log_var, a decoder ending in sigmoid.
 * const encoder = keras([['hidden', 4, 3, 'relu'], ['z_mean', 3, 2, 'linear'], ['z_log_var', 3, 2, 'linear']]);
 * const decoder = keras([['decoder_hidden', 2, 3, 'relu'], ['decoder_output', 3, 4, 'sigmoid']]);
 * const vae = importTfjsLayers({ encoder, decoder }, { kind: 'vae' }) as Vae;
 * vae.config; // { inputShape: [4], hiddenUnits: [3], latentDim: 2, activation: 'relu', decoder: 'bernoulli', … }
 */
export function importTfjsLayers(
  parts: { encoder: TfjsLayersModel; decoder: TfjsLayersModel },
  options: ImportTfjsLayersOptions,
): Vae | Autoencoder {
  const fn = 'importTfjsLayers';
  const tensors = new Map<string, NamedArray>();
  const read = (part: 'encoder' | 'decoder') => {
    const { modelJson, weights } = parts[part];
    if (modelJson === null || typeof modelJson !== 'object')
      throw new ModelFormatError(fn, `${part}: model.json is not an object`, 'a JSON object', String(modelJson));
    const json = modelJson as Record<string, unknown>;
    const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
    const specs = manifest(fn, part, json, bytes.byteLength);
    const dense = denseLayers(fn, part, json);
    const data = new Float32Array(bytes.slice().buffer);
    for (const layer of dense) {
      for (const kind of ['kernel', 'bias']) {
        const matches = [...specs.keys()].filter(
          (n) => n === `${layer.name}/${kind}` || n.endsWith(`/${layer.name}/${kind}`),
        );
        if (matches.length !== 1)
          throw new ModelFormatError(
            fn,
            `${part}: the ${kind} of Dense '${layer.name}' is not in the manifest (once)`,
            `'${layer.name}/${kind}'`,
            `${matches.length} matches`,
          );
        const { shape, offset } = specs.get(matches[0]!)!;
        const size = shape.reduce((a, b) => a * b, 1);
        tensors.set(`${part}:${layer.name}/${kind}`, { shape, values: data.subarray(offset / 4, offset / 4 + size) });
      }
    }
    return dense.map((l) => ({ ...l, name: `${part}:${l.name}` }));
  };
  const encoder = read('encoder');
  const decoder = read('decoder');
  const mu = `encoder:${options.mu ?? 'z_mean'}`;
  const logVar = `encoder:${options.logVar ?? 'z_log_var'}`;
  const heads = options.kind === 'vae' ? encoder.filter((l) => l.name === mu || l.name === logVar) : encoder.slice(-1);
  if (options.kind === 'vae' && heads.length !== 2) {
    throw new ModelFormatError(
      fn,
      'the encoder lacks the μ / log σ² Dense layers',
      `layers '${mu.slice(8)}' and '${logVar.slice(8)}' (options.mu, options.logVar)`,
      encoder.map((l) => l.name.slice(8)).join(', '),
    );
  }
  const hidden = encoder.filter((l) => !heads.includes(l));
  const activation = hidden[0]?.activation ?? decoder[0]?.activation ?? 'relu';
  const last = decoder.at(-1);
  const wrong = [...hidden, ...decoder.slice(0, -1)].find((l) => l.activation !== activation);
  const badHead = heads.find((l) => l.activation !== 'linear');
  if (wrong || badHead || (last && last.activation !== 'sigmoid' && last.activation !== 'linear')) {
    const l = (wrong ?? badHead ?? last)!;
    throw new ModelFormatError(
      fn,
      `Dense '${l.name}' has another activation than Latentlab's MLP uses there`,
      `${wrong ? activation : badHead ? 'linear (code layers)' : "'sigmoid' or 'linear' (output)"}`,
      l.activation,
    );
  }
  const bernoulli = last?.activation === 'sigmoid';
  const config =
    options.kind === 'vae'
      ? { decoder: bernoulli ? 'bernoulli' : 'gaussian' }
      : { reconstruction: bernoulli ? 'bernoulli' : 'mse' };
  return importMlp(
    tensors,
    {
      kind: options.kind,
      encoder: hidden.map((l) => l.name),
      ...(options.kind === 'vae' ? { mu, logVar } : { z: heads[0]?.name ?? 'encoder:?' }),
      decoder: decoder.map((l) => l.name),
      weight: '/kernel',
      bias: '/bias',
      layout: 'in-out',
    },
    { fn, config: { ...config, ...options.config, activation } as Partial<VaeConfig> },
  );
}
