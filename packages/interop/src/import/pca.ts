import { ModelFormatError, Pca } from '@latentlab/models';
import { type SafetensorsFile, tensorToFloat64 } from '../safetensors/read.js';

/** Options of {@link importPca}: the scalars when the file's metadata lacks them. */
export interface ImportPcaOptions {
  /** Training rows n (scikit-learn's `n_samples_`). */
  n?: number;
  /** Σ of all d eigenvalues (`explained_variance_[0] / explained_variance_ratio_[0]`). */
  totalVariance?: number;
  /** Whiten codes (scikit-learn's `whiten`). */
  whiten?: boolean;
}

/**
 * A fitted {@link Pca} from safetensors in scikit-learn's layout: `mean` [d] (`mean_`), `components` [k, d]
 * (`components_`, rows are components) and `explained_variance` [k] (`explained_variance_`), read exactly as
 * float64 (F64 stored as is; F32 widened), through `Pca.fromParameters` (which checks orthonormality etc.). n
 * and the total variance come from `options`, else from the `latentlab` metadata (`pca: { n, totalVariance }`),
 * else from the metadata strings `n_samples` / `total_variance`; `whiten` likewise from `config.whiten`.
 *
 * @throws {ModelFormatError} a missing tensor or scalar; `ShapeError`/`ValueError` from `Pca.fromParameters`.
 * @example
 * import { writeFile } from 'node:fs/promises';
 * // What scikit-learn's PCA(n_components=1) fitted to 2-D points saves (safetensors.numpy.save_file):
 * const f64 = (shape: number[], values: number[]) => ({ shape, values, dtype: 'F64' as const });
 * const tensors = { mean: f64([2], [1, 2]), components: f64([1, 2], [0.6, 0.8]), explained_variance: f64([1], [2]) };
 * await writeFile('sklearn-pca.safetensors', writeSafetensors(tensors, { n_samples: '3', total_variance: '2.5' }));
 * const pca = importPca(await readSafetensorsFile('sklearn-pca.safetensors'));
 * pca.explainedVarianceRatio; // Float64Array [0.8] = 2 / 2.5
 */
export function importPca(file: SafetensorsFile, options: ImportPcaOptions = {}): Pca {
  const fn = 'importPca';
  const get = (name: string) => {
    const t = file.tensors.get(name);
    if (!t)
      throw new ModelFormatError(
        fn,
        `tensor '${name}' is missing`,
        'mean, components, explained_variance',
        [...file.tensors.keys()].join(', '),
      );
    return tensorToFloat64(t);
  };
  const meta = parseLatentlabMetadata(file, fn);
  const pcaMeta = (meta?.pca ?? {}) as { n?: unknown; totalVariance?: unknown };
  const whitenMeta = (meta?.config as { whiten?: unknown } | undefined)?.whiten;
  const scalar = (given: number | undefined, fromMeta: unknown, key: string, field: string): number => {
    const v =
      given ??
      (typeof fromMeta === 'number'
        ? fromMeta
        : file.metadata?.[key] !== undefined
          ? Number(file.metadata[key])
          : undefined);
    if (v === undefined || !Number.isFinite(v)) {
      throw new ModelFormatError(
        fn,
        `${field} is not given`,
        `options.${field}, latentlab metadata pca.${field} or metadata '${key}'`,
        String(v),
      );
    }
    return v;
  };
  const explainedVariance = get('explained_variance');
  const sum = explainedVariance.reduce((a, b) => a + b, 0);
  let totalVariance = scalar(options.totalVariance, pcaMeta.totalVariance, 'total_variance', 'totalVariance');
  // A total computed in float32 (e.g. a PCA fitted on webgl) may fall a rounding error below Σλ when every
  // large component is kept: within 1e-6 relative, it is taken as Σλ.
  if (totalVariance < sum && totalVariance >= sum * (1 - 1e-6)) totalVariance = sum;
  return Pca.fromParameters(
    {
      mean: get('mean'),
      components: get('components'),
      explainedVariance,
      n: scalar(options.n, pcaMeta.n, 'n_samples', 'n'),
      totalVariance,
    },
    { whiten: options.whiten ?? whitenMeta === true },
  );
}

/** The `latentlab` metadata entry parsed as an object, or null when absent. */
export function parseLatentlabMetadata(file: SafetensorsFile, fn: string): Record<string, unknown> | null {
  const text = file.metadata?.latentlab;
  if (text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(fn, "the 'latentlab' metadata is not JSON", 'a JSON object', (error as Error).message);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ModelFormatError(
      fn,
      "the 'latentlab' metadata is not an object",
      '{ formatVersion, kind, config }',
      text.slice(0, 40),
    );
  }
  return json as Record<string, unknown>;
}
