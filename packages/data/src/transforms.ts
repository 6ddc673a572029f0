/**
 * Per-example feature transforms applied while a batch is gathered (never to the stored dataset):
 * scaling to [0, 1], standardisation, static or dynamic binarisation. Plain JS on typed arrays.
 */

import { checkDataset, type Dataset, datasetSize, type FeatureArray, featureSize } from './dataset.js';
import { DatasetError } from './errors.js';
import type { Prng } from './prng.js';

/**
 * Per-feature standardisation x'ⱼ = (xⱼ − meanⱼ) / stdⱼ, on the stored values (bytes 0..255 for a
 * Uint8 dataset). Fit it on the training set only ({@link fitStandardizer}) and reuse it for validation
 * and test data.
 */
export interface Standardizer {
  /** Per-feature mean, length d (or length 1: one mean for every feature). */
  readonly mean: Float32Array;
  /** Per-feature standard deviation, length d (or 1); every entry finite and > 0. */
  readonly std: Float32Array;
}

/**
 * How stored values become batch values:
 * - `'unit'`: bytes v ↦ v / 255 ∈ [0, 1] (Uint8 datasets only);
 * - `'none'`: the stored values as float32;
 * - a {@link Standardizer}: (v − meanⱼ) / stdⱼ.
 */
export type Scale = 'unit' | 'none' | Standardizer;

/**
 * - `'dynamic'`: a fresh Bernoulli sample per batch, x' ~ Bernoulli(p) with p the intensity in [0, 1]
 *   (v / 255 for bytes, the value itself for float32) — the "dynamically binarised MNIST" of Burda et al. (2015);
 * - `'threshold'`: x' = 1 if p > threshold (default 0.5) else 0;
 * - `false`: no binarisation.
 */
export type Binarize = 'dynamic' | 'threshold' | false;

/** Options of {@link fitStandardizer}. */
export interface FitStandardizerOptions {
  /** One mean/std per feature (default) or a single pair over all features. */
  perFeature?: boolean;
  /** A std at or below this counts as zero and is replaced by 1 (scikit-learn's rule for constant features). Default 1e-8. */
  epsilon?: number;
}

/**
 * Fits a {@link Standardizer} on the stored values of `dataset` (in float64, two passes):
 * meanⱼ = (1/n) Σᵢ xᵢⱼ, stdⱼ = √((1/n) Σᵢ (xᵢⱼ − meanⱼ)²) (population std); a feature that is constant
 * (stdⱼ ≤ ε) gets stdⱼ = 1 so it maps to 0 instead of dividing by zero.
 *
 * @example
 * const { train, validation } = trainValidationSplit(twoMoons({ n: 1000, noise: 0.1, seed: 1 }), { validationFraction: 0.2 });
 * const standardizer = fitStandardizer(train);
 * for (const b of batches(validation, { batchSize: 256, scale: standardizer })) b.x.dispose(); // after using b.x
 */
export function fitStandardizer(dataset: Dataset, options: FitStandardizerOptions = {}): Standardizer {
  const fn = 'fitStandardizer';
  checkDataset(fn, dataset);
  const { perFeature = true, epsilon = 1e-8 } = options;
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) {
    throw new DatasetError(fn, 'invalid epsilon', 'a finite number ≥ 0', String(epsilon));
  }
  const n = datasetSize(dataset);
  if (n === 0) throw new DatasetError(fn, 'empty dataset', 'at least one example', '0 examples');
  const d = featureSize(dataset);
  const m = perFeature ? d : 1;
  const sum = new Float64Array(m);
  const sq = new Float64Array(m);
  const { x } = dataset;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) sum[perFeature ? j : 0]! += x[o + j]!;
  }
  const count = perFeature ? n : n * d;
  const mean = sum.map((s) => s / count);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const k = perFeature ? j : 0;
      const c = x[o + j]! - mean[k]!;
      sq[k]! += c * c;
    }
  }
  const std = sq.map((s) => {
    const sd = Math.sqrt(s / count);
    return sd > epsilon ? sd : 1;
  });
  return Object.freeze({ mean: Float32Array.from(mean), std: Float32Array.from(std) });
}

/** The transform resolved once per iterator: writes one transformed row into a batch buffer. */
export type RowWriter = (src: FeatureArray, srcOffset: number, out: Float32Array, outOffset: number) => void;

/** Options shared by {@link batches} and {@link streamBatches} that describe the transform. */
export interface TransformOptions {
  /** Default: `'unit'` for Uint8 data, `'none'` for float32 data. */
  scale?: Scale;
  /** Default `false`. With binarisation the batch holds 0/1 and `scale` must be `'unit'`/`'none'`/unset. */
  binarize?: Binarize;
  /** Intensity threshold of `binarize: 'threshold'`, in [0, 1]. Default 0.5. */
  threshold?: number;
}

const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);
// P(u32 < BERNOULLI_LIMIT[v]) = v / 255 for u32 uniform on [0, 2³²).
const BERNOULLI_LIMIT = Float64Array.from({ length: 256 }, (_, v) => (v / 255) * 4294967296);

/**
 * Validates the transform options for features of type `dtype` and length `d`, and returns the row writer.
 * `rng` is used by dynamic binarisation only (one uint32 per feature per row).
 */
export function rowWriter(
  fn: string,
  dtype: 'uint8' | 'float32',
  d: number,
  options: TransformOptions,
  rng: Prng,
): RowWriter {
  const { binarize = false, threshold = 0.5 } = options;
  const scale = options.scale ?? (binarize !== false || dtype === 'uint8' ? 'unit' : 'none');
  if (binarize !== false && binarize !== 'dynamic' && binarize !== 'threshold') {
    throw new DatasetError(fn, 'invalid binarize', "'dynamic', 'threshold' or false", String(binarize));
  }
  if (binarize === 'threshold' && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) {
    throw new DatasetError(fn, 'invalid threshold', 'a number in [0, 1]', String(threshold));
  }
  if (scale === 'unit' || scale === 'none') {
    if (scale === 'unit' && dtype !== 'uint8' && binarize === false) {
      throw new DatasetError(fn, "scale 'unit' divides bytes by 255", 'a Uint8 dataset', 'float32 features');
    }
  } else {
    if (
      scale === null ||
      typeof scale !== 'object' ||
      !(scale.mean instanceof Float32Array && scale.std instanceof Float32Array)
    ) {
      throw new DatasetError(fn, 'invalid scale', "'unit', 'none' or { mean, std } Float32Arrays", String(scale));
    }
    if (binarize !== false) {
      throw new DatasetError(fn, 'binarize with a standardizer', "scale 'unit' or 'none'", 'a standardizer');
    }
    for (const [key, a] of [
      ['mean', scale.mean],
      ['std', scale.std],
    ] as const) {
      if (a.length !== d && a.length !== 1) {
        throw new DatasetError(fn, `standardizer ${key} length`, `${d} (features) or 1`, String(a.length));
      }
      if (a.some((v) => !Number.isFinite(v) || (key === 'std' && v <= 0))) {
        throw new DatasetError(
          fn,
          `invalid standardizer ${key}`,
          key === 'std' ? 'finite values > 0' : 'finite values',
          `[${a.join(', ')}]`,
        );
      }
    }
  }

  if (binarize === 'dynamic') {
    if (dtype === 'uint8') {
      return (src, so, out, oo) => {
        for (let j = 0; j < d; j++) out[oo + j] = rng.nextUint32() < BERNOULLI_LIMIT[src[so + j]!]! ? 1 : 0;
      };
    }
    return (src, so, out, oo) => {
      for (let j = 0; j < d; j++) {
        const p = src[so + j]!;
        if (!(p >= 0 && p <= 1)) {
          throw new DatasetError(fn, "binarize 'dynamic' uses values as probabilities", 'values in [0, 1]', String(p));
        }
        out[oo + j] = rng.next() < p ? 1 : 0;
      }
    };
  }
  if (binarize === 'threshold') {
    const limit = dtype === 'uint8' ? threshold * 255 : threshold;
    return (src, so, out, oo) => {
      for (let j = 0; j < d; j++) out[oo + j] = src[so + j]! > limit ? 1 : 0;
    };
  }
  if (scale === 'unit') {
    return (src, so, out, oo) => {
      for (let j = 0; j < d; j++) out[oo + j] = UNIT[src[so + j]!]!;
    };
  }
  if (scale === 'none') {
    return (src, so, out, oo) => {
      if (src instanceof Float32Array) out.set(src.subarray(so, so + d), oo);
      else for (let j = 0; j < d; j++) out[oo + j] = src[so + j]!;
    };
  }
  const mean = scale.mean.length === d ? scale.mean : new Float32Array(d).fill(scale.mean[0]!);
  const invStd = Float64Array.from(
    scale.std.length === d ? scale.std : new Float32Array(d).fill(scale.std[0]!),
    (s) => 1 / s,
  );
  return (src, so, out, oo) => {
    for (let j = 0; j < d; j++) out[oo + j] = (src[so + j]! - mean[j]!) * invStd[j]!;
  };
}
