import { checkNumber } from '@latentlab/core';
import { createDataset, type Dataset } from '../dataset.js';
import { DatasetError } from '../errors.js';
import { checkSeed, deriveSeed, Prng } from '../prng.js';

/** Options of {@link noisyLinearSubspace}. */
export interface LinearSubspaceOptions {
  /** Number of examples, an integer ≥ 1. */
  n: number;
  /** Ambient dimension D. */
  dim: number;
  /** Subspace dimension k, 1 ≤ k ≤ D. */
  rank: number;
  /** Standard deviation of the latent coordinate along each basis vector, length k, all > 0 (default k, k−1, …, 1). */
  scales?: readonly number[];
  /** Standard deviation σ of the isotropic noise (default 0.1). */
  noise?: number;
  /** The mean of the data, length D (default 0). */
  offset?: readonly number[];
  /** Seed (default 0). */
  seed?: number;
}

/** The data and the truth it was drawn from. */
export interface LinearSubspace {
  /** [n, D] float32; `t` is the first latent coordinate z₁ (for colouring). */
  dataset: Dataset;
  /** The true basis, [k, D] row-major, orthonormal rows. */
  basis: Float64Array;
  scales: Float64Array;
  offset: Float64Array;
  noise: number;
}

/**
 * Points near a k-dimensional linear subspace of R^D — the generative model of probabilistic PCA
 * (Tipping & Bishop, 1999):
 *
 *     xᵢ = offset + Σⱼ sⱼ zᵢⱼ bⱼ + σ εᵢ,   zᵢⱼ ~ N(0, 1),  εᵢ ~ N(0, I_D)
 *
 * with b₁..b_k orthonormal (a Gaussian k×D matrix orthonormalised by Gram–Schmidt). The covariance is
 * Σ = Σⱼ sⱼ² bⱼbⱼᵀ + σ² I: eigenvalues sⱼ² + σ² along bⱼ and σ² (D − k times) elsewhere, so PCA with k
 * components should recover span(b) and leave a mean squared reconstruction error of (D − k) σ².
 *
 * @example
 * const { dataset, basis } = noisyLinearSubspace({ n: 2000, dim: 10, rank: 2, noise: 0.05, seed: 7 });
 */
// Its skeleton (result interface, options-object check, seed) is gaussianBlobs'; the fields and their checks are
// each generator's own, so the two stay apart.
export function noisyLinearSubspace(options: LinearSubspaceOptions): LinearSubspace {
  const fn = 'noisyLinearSubspace';
  if (options === null || typeof options !== 'object') {
    throw new DatasetError(fn, 'missing options', '{ n, dim, rank, ... }', String(options));
  }
  const { n, dim: D, rank: k, noise = 0.1, seed = 0 } = options;
  const int = (name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new DatasetError(fn, `invalid ${name}`, `an integer in [${min}, ${max}]`, String(v));
    }
  };
  int('n', n, 1);
  int('dim', D, 1);
  int('rank', k, 1, D);
  checkNumber(fn, 'noise', noise, { min: 0, error: DatasetError });
  const scales = Float64Array.from(options.scales ?? Array.from({ length: k }, (_, j) => k - j));
  if (scales.length !== k || scales.some((v) => !(Number.isFinite(v) && v > 0))) {
    throw new DatasetError(fn, 'invalid scales', `${k} finite numbers > 0`, String(options.scales));
  }
  const offset = Float64Array.from(options.offset ?? new Array<number>(D).fill(0));
  if (offset.length !== D || offset.some((v) => !Number.isFinite(v))) {
    throw new DatasetError(fn, 'invalid offset', `${D} finite numbers`, String(options.offset));
  }
  const s = checkSeed(fn, seed);
  const basis = orthonormalRows(k, D, new Prng(deriveSeed(s, 1)));
  const rng = new Prng(deriveSeed(s, 2));
  const x = new Float32Array(n * D);
  const t = new Float32Array(n);
  const row = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    row.set(offset);
    for (let j = 0; j < k; j++) {
      const z = rng.normal();
      if (j === 0) t[i] = z;
      const a = scales[j]! * z;
      for (let c = 0; c < D; c++) row[c]! += a * basis[j * D + c]!;
    }
    for (let c = 0; c < D; c++) x[i * D + c] = row[c]! + noise * rng.normal();
  }
  return {
    dataset: createDataset({ name: 'noisy-linear-subspace', x, shape: [n, D], t }),
    basis,
    scales,
    offset,
    noise,
  };
}

/** k orthonormal rows in R^D: Gaussian rows, modified Gram–Schmidt applied twice ("twice is enough"). */
function orthonormalRows(k: number, D: number, rng: Prng): Float64Array {
  const b = Float64Array.from({ length: k * D }, () => rng.normal());
  for (let j = 0; j < k; j++) {
    const bj = b.subarray(j * D, (j + 1) * D);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const bi = b.subarray(i * D, (i + 1) * D);
        let dot = 0;
        for (let c = 0; c < D; c++) dot += bi[c]! * bj[c]!;
        for (let c = 0; c < D; c++) bj[c]! -= dot * bi[c]!;
      }
    }
    let norm = 0;
    for (let c = 0; c < D; c++) norm += bj[c]! * bj[c]!;
    norm = Math.sqrt(norm);
    for (let c = 0; c < D; c++) bj[c]! /= norm;
  }
  return b;
}
