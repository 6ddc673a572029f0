import { checkNumber } from '@latentlab/core';
import { checkInt } from '../batches.js';
import { createDataset, type Dataset } from '../dataset.js';
import { DatasetError } from '../errors.js';
import { checkSeed, deriveSeed, Prng } from '../prng.js';

/** Options of {@link gaussianBlobs}. */
export interface GaussianBlobsOptions {
  /** Number of examples, an integer ≥ 1. */
  n: number;
  /** The blob centres (k rows of equal length), or a count k of centres drawn uniformly in [−centerBox, centerBox]^dim. */
  centers: number | readonly (readonly number[])[];
  /** Dimension when `centers` is a count (default 2). */
  dim?: number;
  /** Half-width of the box random centres are drawn in (default 10, as scikit-learn's center_box (−10, 10)). */
  centerBox?: number;
  /** Standard deviation of every blob, per coordinate (default 1). */
  std?: number;
  /** Seed (default 0). */
  seed?: number;
}

/** A blobs dataset and the centres its points were drawn around. */
export interface GaussianBlobs {
  dataset: Dataset;
  /** [k, dim] row-major. */
  centers: Float64Array;
}

/**
 * Isotropic Gaussian blobs (scikit-learn's `make_blobs`): example i belongs to blob c = i mod k and is
 * drawn from N(μ_c, std² I). Labels are the blob indices; the blobs' sizes differ by at most one.
 *
 * @example
 * const { dataset, centers } = gaussianBlobs({ n: 300, centers: [[0, 0], [5, 5], [0, 5]], std: 0.5, seed: 2 });
 * dataset.shape; // [300, 2]
 */
export function gaussianBlobs(options: GaussianBlobsOptions): GaussianBlobs {
  const fn = 'gaussianBlobs';
  if (options === null || typeof options !== 'object') {
    throw new DatasetError(fn, 'missing options', '{ n, centers, ... }', String(options));
  }
  const { n, centers, dim = 2, centerBox = 10, std = 1, seed = 0 } = options;
  checkInt(fn, 'n', n, 1);
  checkNumber(fn, 'std', std, { min: 0, error: DatasetError });
  const s = checkSeed(fn, seed);
  let k: number;
  let D: number;
  let mu: Float64Array;
  if (typeof centers === 'number') {
    if (!Number.isSafeInteger(centers) || centers < 1)
      throw new DatasetError(fn, 'invalid centers', 'an integer ≥ 1', String(centers));
    if (!Number.isSafeInteger(dim) || dim < 1) throw new DatasetError(fn, 'invalid dim', 'an integer ≥ 1', String(dim));
    if (!(Number.isFinite(centerBox) && centerBox >= 0)) {
      throw new DatasetError(fn, 'invalid centerBox', 'a finite number ≥ 0', String(centerBox));
    }
    k = centers;
    D = dim;
    const rng = new Prng(deriveSeed(s, 1));
    mu = Float64Array.from({ length: k * D }, () => centerBox * (2 * rng.next() - 1));
  } else {
    if (!Array.isArray(centers) || centers.length === 0 || !Array.isArray(centers[0]) || centers[0].length === 0) {
      throw new DatasetError(
        fn,
        'invalid centers',
        'a count or a non-empty array of coordinate arrays',
        String(centers),
      );
    }
    k = centers.length;
    D = centers[0].length;
    mu = new Float64Array(k * D);
    centers.forEach((c, i) => {
      if (!Array.isArray(c) || c.length !== D || c.some((v) => !Number.isFinite(v))) {
        throw new DatasetError(fn, `invalid centers[${i}]`, `${D} finite numbers`, String(c));
      }
      mu.set(c, i * D);
    });
  }
  const rng = new Prng(deriveSeed(s, 2));
  const x = new Float32Array(n * D);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < D; j++) x[i * D + j] = mu[c * D + j]! + std * rng.normal();
  }
  return { dataset: createDataset({ name: 'gaussian-blobs', x, shape: [n, D], labels }), centers: mu };
}
