import { symmetricEigen } from './eigen.js';
import type { PcaKernel, RowSource } from './matrix.js';
import { addChunk, Moments } from './moments.js';
import { checkComponents, checkVariance, type PcaConfig } from './pca-config.js';
import type { Fitted } from './pca-parameters.js';
import { randomizedEigen } from './randomized.js';

/** Adds the rows of `source` to `acc` in chunks of `chunkRows` (one pass over the data). */
export async function addRows(fn: string, acc: Moments, source: RowSource, chunkRows: number, kernel: PcaKernel) {
  for (let start = 0; start < source.n; start += chunkRows) {
    await addChunk(fn, acc, source, start, Math.min(source.n, start + chunkRows), kernel);
  }
}

/** The fitted state of one solver from the rows of `source` (`Pca.fit`). */
export type Solver = (
  fn: string,
  source: RowSource,
  config: Readonly<PcaConfig>,
  chunkRows: number,
  kernel: PcaKernel,
) => Promise<Omit<Fitted, 'tensors'>>;

/** The exact solver on rows: one pass of moments (mean and scatter), then {@link exactSolve}. */
export const exactFit: Solver = async (fn, source, config, chunkRows, kernel) => {
  const acc = new Moments(source.d, true);
  await addRows(fn, acc, source, chunkRows, kernel);
  return exactSolve(fn, acc, config);
};

/**
 * The randomized solver on rows (docs/math.md §2; Halko, Martinsson & Tropp 2011): one pass for the mean and the
 * total variance trace(C), then {@link randomizedEigen}'s q + 1 passes for the top `nComponents` eigenpairs.
 */
export const randomizedFit: Solver = async (fn, source, config, chunkRows, kernel) => {
  const k = config.nComponents!;
  checkComponents(fn, k, source.n, source.d);
  const acc = new Moments(source.d, false);
  await addRows(fn, acc, source, chunkRows, kernel);
  const totalVariance = acc.trace() / (acc.n - 1);
  checkVariance(fn, totalVariance);
  const { oversamples, powerIterations, seed } = config;
  const options = { oversamples, powerIterations, seed, chunkRows, kernel };
  const { values, vectors } = await randomizedEigen(source, acc.mean, k, options);
  const { n, d, mean } = acc;
  return { solver: 'randomized', n, d, mean, components: vectors, explainedVariance: values, totalVariance };
};

/**
 * The exact solver (docs/math.md §2): the covariance C = M₂/(n − 1) of the accumulated moments, its symmetric
 * eigendecomposition, and the k kept: `nComponents`, or the smallest k with Σ_{j≤k} λ_j ≥ fraction · Σ λ for a
 * `varianceFraction`, or min(n, d). Eigenvalues are clamped at 0 (rounding can leave −1e-17).
 * @throws {ValueError} naming `fn` when the data have no variance or k > min(n, d).
 *
 * @example
 * import { Moments } from './moments.js';
 * const acc = new Moments(2, true); // the moments of 2 rows (1, 2), (3, 6): n 2, mean (2, 4), scatter [[2, 4], [4, 8]]
 * acc.merge(2, Float64Array.of(2, 4), Float64Array.of(2, 4, 4, 8));
 * const { config } = new Pca({ nComponents: 1 });
 * const p = exactSolve('Pca.finalize', acc, config); // { solver: 'exact', n, d, mean, components, ... }
 */
export function exactSolve(fn: string, acc: Moments, config: Readonly<PcaConfig>): Omit<Fitted, 'tensors'> {
  const { n, d } = acc;
  const cov = acc.symmetric();
  for (let i = 0; i < cov.length; i++) cov[i] = cov[i]! / (n - 1);
  const totalVariance = acc.trace() / (n - 1);
  checkVariance(fn, totalVariance);
  const limit = Math.min(n, d);
  if (config.nComponents !== null) checkComponents(fn, config.nComponents, n, d);
  const chooseK = (values: Float64Array): number => {
    if (config.varianceFraction === null) return config.nComponents ?? limit;
    // The smallest k with Σ_{j≤k} λ_j ≥ fraction · Σ λ (a relative 1e-12 absorbs rounding at fraction 1).
    const target = config.varianceFraction * totalVariance * (1 - 1e-12);
    let cum = 0;
    let k = 0;
    while (k < limit && cum < target) cum += Math.max(0, values[k++]!);
    return k;
  };
  const { values, vectors } = symmetricEigen(cov, d, chooseK);
  const k = vectors.length / d;
  for (let j = 0; j < k; j++) values[j] = Math.max(0, values[j]!);
  return {
    solver: 'exact',
    n,
    d,
    mean: acc.mean,
    components: vectors.subarray(0, k * d),
    explainedVariance: values.subarray(0, k),
    totalVariance,
  };
}
