import { type Autoencoder, ModelFormatError, type Pca, type Vae } from '@latentlab/models';
import type { InteropConfig } from '../export/to-safetensors.js';
import type { SafetensorsFile } from '../safetensors/read.js';
import { type ImportMlpOptions, importMlp } from './mlp.js';
import { latentlabNameMap, type MlpNameMap, PYTORCH_EXAMPLES_VAE, pythaeNameMap } from './name-map.js';
import { importPca, parseLatentlabMetadata } from './pca.js';

/** The layouts {@link importSafetensors} knows. */
export type SafetensorsLayout = 'latentlab' | 'pytorch-examples-vae' | 'pythae-vae' | 'pythae-ae' | 'pca';

/** Options of {@link importSafetensors}. */
export interface ImportSafetensorsOptions extends Pick<ImportMlpOptions, 'config' | 'ignore'> {
  /** The file's layout, or a name map for any other MLP (default: detected, see {@link detectLayout}). */
  from?: SafetensorsLayout | MlpNameMap;
  /** The interop config (the exporter's `<name>.json`) when the file's metadata lacks it. */
  interopConfig?: InteropConfig;
}

/**
 * Which layout a file has: Latentlab's (a `latentlab` metadata entry), pytorch/examples' VAE (`fc21.weight`),
 * pythae's VAE (`encoder.embedding` + `encoder.log_var`) or AE (`encoder.embedding`), a PCA (`components`), or
 * null when none fits.
 * @example
 * const weight = { shape: [2, 3], values: new Float32Array(6) };
 * const bytes = writeSafetensors({ 'fc1.weight': weight, 'fc21.weight': weight, 'fc22.weight': weight });
 * detectLayout(readSafetensors(bytes)); // 'pytorch-examples-vae'
 */
export function detectLayout(file: SafetensorsFile): SafetensorsLayout | null {
  const has = (n: string) => file.tensors.has(n);
  if (has('components') && has('mean')) return 'pca';
  if (file.metadata?.latentlab !== undefined) return 'latentlab';
  if (has('fc21.weight') && has('fc22.weight')) return 'pytorch-examples-vae';
  if (has('encoder.embedding.weight')) return has('encoder.log_var.weight') ? 'pythae-vae' : 'pythae-ae';
  if (has('encoder.mu.weight') || has('encoder.z.weight')) return 'latentlab';
  return null;
}

/** The saved config without what the tensors decide (sizes, architecture; a linear model keeps its unused hiddenUnits). */
const pick = (config: Record<string, unknown>) => {
  const { inputShape: _i, latentDim: _l, hiddenUnits, architecture, ...rest } = config;
  return architecture === 'linear' && hiddenUnits !== undefined ? { ...rest, hiddenUnits } : rest;
};

/**
 * Imports a safetensors file as a Latentlab model: a {@link Vae}, an {@link Autoencoder} or a {@link Pca}.
 * - `'latentlab'`: the exporter's naming and its `latentlab` metadata (or `interopConfig`): the config is the
 *   model's own, its sizes checked against the tensors;
 * - `'pytorch-examples-vae'`: {@link PYTORCH_EXAMPLES_VAE} (ReLU, Bernoulli decoder);
 * - `'pythae-vae'` / `'pythae-ae'`: {@link pythaeNameMap} (ReLU; the final Sigmoid is the Bernoulli decoder /
 *   `reconstruction: 'bernoulli'`);
 * - `'pca'`: `importPca`; a {@link MlpNameMap}: `importMlp` with that map.
 *
 * @throws {ModelFormatError} an undetectable layout, a missing/misshapen/unused tensor, sizes that differ from the config.
 * @example
 * import { Vae } from '@latentlab/models';
 * // pytorch/examples' VAE state dict (vae/main.py: fc1, fc21 = μ, fc22 = log σ², fc3, fc4), 4-3-2 instead of 784-400-20:
 * const layer = (name: string, out: number, inp: number) => ({
 *   [`${name}.weight`]: { shape: [out, inp], values: new Float32Array(out * inp) },
 *   [`${name}.bias`]: { shape: [out], values: new Float32Array(out) },
 * });
 * const bytes = writeSafetensors({
 *   ...layer('fc1', 3, 4), ...layer('fc21', 2, 3), ...layer('fc22', 2, 3), ...layer('fc3', 3, 2), ...layer('fc4', 4, 3),
 * });
 * const file = new File([bytes], 'vae.safetensors');
 * const model = importSafetensors(await readSafetensorsFrom(file)); // a Vae from pytorch/examples
 * model instanceof Vae; // true
 */
export function importSafetensors(
  file: SafetensorsFile,
  options: ImportSafetensorsOptions = {},
): Vae | Autoencoder | Pca {
  const fn = 'importSafetensors';
  const from = options.from ?? detectLayout(file);
  const names = new Set(file.tensors.keys());
  const common = { fn, ...(options.ignore ? { ignore: options.ignore } : {}) };
  if (from === null) {
    throw new ModelFormatError(
      fn,
      'the layout is not recognised',
      "Latentlab's, pytorch/examples', pythae's or a PCA (or options.from)",
      [...names].slice(0, 12).join(', '),
    );
  }
  if (typeof from === 'object') return importMlp(file.tensors, from, { ...common, config: options.config ?? {} });
  if (from === 'pca') return importPca(file, options.interopConfig?.pca ? { ...options.interopConfig.pca } : {});
  if (from === 'pytorch-examples-vae')
    return importMlp(file.tensors, PYTORCH_EXAMPLES_VAE, {
      ...common,
      config: { decoder: 'bernoulli', ...options.config },
    });
  if (from === 'pythae-vae' || from === 'pythae-ae') {
    const kind = from === 'pythae-vae' ? 'vae' : 'autoencoder';
    const config = kind === 'vae' ? { decoder: 'bernoulli' as const } : { reconstruction: 'bernoulli' as const };
    return importMlp(file.tensors, pythaeNameMap(kind, names), { ...common, config: { ...config, ...options.config } });
  }
  const meta =
    (options.interopConfig as unknown as Record<string, unknown> | undefined) ?? parseLatentlabMetadata(file, fn);
  const kind = meta?.kind ?? (names.has('encoder.mu.weight') ? 'vae' : 'autoencoder');
  if (kind === 'pca') return importPca(file);
  if (kind !== 'vae' && kind !== 'autoencoder') {
    throw new ModelFormatError(
      fn,
      'unknown model kind in the latentlab metadata',
      "'vae', 'autoencoder' or 'pca'",
      JSON.stringify(kind),
    );
  }
  if (meta && meta.formatVersion !== 1) {
    throw new ModelFormatError(
      fn,
      'unknown interop format version',
      'formatVersion 1',
      JSON.stringify(meta.formatVersion),
    );
  }
  const saved = (meta?.config ?? {}) as Record<string, unknown>;
  if (saved.architecture === 'conv') {
    throw new ModelFormatError(
      fn,
      'convolutional models cannot be imported from safetensors yet',
      "'mlp' or 'linear'",
      "'conv'",
    );
  }
  const model = importMlp(file.tensors, latentlabNameMap(kind, names), {
    ...common,
    config: { ...pick(saved), ...options.config },
  });
  const sizes = (c: Record<string, unknown>) =>
    JSON.stringify([c.inputShape, c.latentDim, c.architecture === 'linear' ? [] : c.hiddenUnits]);
  if (meta?.config && sizes(saved) !== sizes(model.config as unknown as Record<string, unknown>)) {
    const found = sizes(model.config as unknown as Record<string, unknown>);
    model.dispose();
    throw new ModelFormatError(
      fn,
      'the tensors do not fit the config',
      `[inputShape, latentDim, hiddenUnits] = ${sizes(saved)}`,
      found,
    );
  }
  return model;
}
