import { checkInteger, checkKeys, ValueError } from '@latentlab/core';
import { defaultChunkRows, type PcaKernel, type RowSource } from './matrix.js';

/** Hyperparameters of {@link Pca}. */
export interface PcaConfig {
  /** Number of components k to keep; `null` keeps min(n, d) unless `varianceFraction` is set. */
  nComponents: number | null;
  /** Keep the smallest k whose explained-variance ratios add up to at least this fraction, in (0, 1]. */
  varianceFraction: number | null;
  /**
   * `'exact'`: covariance + symmetric eigendecomposition; `'randomized'`: subspace iteration (needs
   * `nComponents`); `'auto'`: whichever is estimated cheaper for the data's size.
   */
  solver: 'exact' | 'randomized' | 'auto';
  /** Scale the codes to unit variance: z_j = w_jᵀ(x − m)/√λ_j. */
  whiten: boolean;
  /** Randomized solver: extra test vectors p (the subspace has k + p columns). */
  oversamples: number;
  /** Randomized solver: power iterations q (q + 1 passes over the data). */
  powerIterations: number;
  /** Randomized solver: seed of the Gaussian test matrix (core's `createRng`), an integer in [0, 2^53 − 1]. */
  seed: number;
}

/** Defaults of {@link PcaConfig}: all components, automatic solver, no whitening, p = 10, q = 4. */
export const DEFAULT_PCA_CONFIG: Readonly<PcaConfig> = Object.freeze({
  nComponents: null,
  varianceFraction: null,
  solver: 'auto',
  whiten: false,
  oversamples: 10,
  powerIterations: 4,
  seed: 0,
});

/** The option names of {@link PcaFitOptions}. */
export const FIT_OPTION_KEYS = ['chunkRows', 'kernel'];

/** Options of {@link Pca.fit} and {@link Pca.partialFit}. */
export interface PcaFitOptions {
  /** Rows per chunk sent to the backend (default ≈ 4 M values per chunk). */
  chunkRows?: number;
  /**
   * Where the passes over the data run. `'backend'`: tfjs `matMul`s on the active backend. `'javascript'`:
   * float64 JavaScript that skips zero entries (fast for sparse data such as MNIST pixels, 81 % zeros).
   * `'auto'` (default): JavaScript on the `cpu` backend (tfjs-cpu's `matMul` is slower); on `wasm`, JavaScript
   * for the exact solver's chunks of in-memory rows with < 30 % non-zeros, backend otherwise; on `webgl`, backend.
   */
  kernel?: PcaKernel;
}

/**
 * The defaults with `config` applied, checked: nComponents an integer ≥ 1 or null, varianceFraction in (0, 1] or
 * null (not both set), a known solver ('randomized' needs nComponents), oversamples and powerIterations integers
 * ≥ 0, seed an integer ≥ 0. Throws a ValueError naming `fn`; returns a frozen config.
 *
 * @example
 * resolvePcaConfig({ nComponents: 50, solver: 'randomized' }, 'Pca'); // p = 10, q = 4, seed 0
 */
export function resolvePcaConfig(config: Partial<PcaConfig>, fn: string): Readonly<PcaConfig> {
  checkKeys(fn, 'config', config, Object.keys(DEFAULT_PCA_CONFIG));
  const c = { ...DEFAULT_PCA_CONFIG, ...config };
  if (c.nComponents !== null && !(Number.isInteger(c.nComponents) && c.nComponents >= 1)) {
    throw new ValueError(
      fn,
      'nComponents is out of range',
      'an integer ≥ 1 (and ≤ min(n, d) at fit)',
      String(c.nComponents),
    );
  }
  if (c.varianceFraction !== null && !(c.varianceFraction > 0 && c.varianceFraction <= 1)) {
    throw new ValueError(fn, 'varianceFraction is out of range', 'a number in (0, 1]', String(c.varianceFraction));
  }
  if (c.nComponents !== null && c.varianceFraction !== null) {
    throw new ValueError(
      fn,
      'nComponents and varianceFraction are exclusive',
      'at most one of them',
      `nComponents ${c.nComponents} and varianceFraction ${c.varianceFraction}`,
    );
  }
  if (!['exact', 'randomized', 'auto'].includes(c.solver)) {
    throw new ValueError(fn, 'unknown solver', "'exact', 'randomized' or 'auto'", String(c.solver));
  }
  if (c.solver === 'randomized' && c.nComponents === null) {
    throw new ValueError(
      fn,
      "solver 'randomized' needs nComponents",
      'nComponents set (varianceFraction needs every eigenvalue)',
      `nComponents null, varianceFraction ${c.varianceFraction}`,
    );
  }
  checkInteger(fn, 'oversamples', c.oversamples, 0);
  checkInteger(fn, 'powerIterations', c.powerIterations, 0);
  checkInteger(fn, 'seed', c.seed, 0);
  return Object.freeze(c);
}

/**
 * The solver `'auto'` resolves to for data of n rows and d features. A rough cost model in flops, JavaScript
 * flops weighted ×10: exact = the covariance pass (upper triangle plus overhead) and the eigendecomposition;
 * randomized = (q + 1) passes of two n×d×l products and the Gram–Schmidt steps. MNIST (60 000 × 784, k = 50):
 * exact 5.1e10 < randomized 5.6e10.
 */
export function chooseSolver(config: Readonly<PcaConfig>, { n, d }: RowSource): 'exact' | 'randomized' {
  const { solver, nComponents, oversamples, powerIterations } = config;
  if (solver !== 'auto') return solver;
  if (nComponents === null) return 'exact';
  const l = Math.min(nComponents + oversamples, d);
  const exact = 1.2 * n * d * d + 10 * (4 / 3) * d ** 3;
  const randomized = (powerIterations + 1) * 4 * n * d * l + 10 * 4 * (powerIterations + 2) * d * l * l;
  return randomized < exact ? 'randomized' : 'exact';
}

/** The kernel option, checked (default `'auto'`). */
export function checkKernel(fn: string, kernel: PcaKernel | undefined): PcaKernel {
  if (kernel === undefined) return 'auto';
  if (!['auto', 'backend', 'javascript'].includes(kernel)) {
    throw new ValueError(fn, 'unknown kernel', "'auto', 'backend' or 'javascript'", String(kernel));
  }
  return kernel;
}

/** Throws unless there are at least two rows (a covariance needs n − 1 ≥ 1). */
export function checkSamples(fn: string, n: number): void {
  if (n < 2) throw new ValueError(fn, 'too few rows to estimate a covariance', 'n ≥ 2 rows', `n = ${n}`);
}

/** Throws unless k ≤ min(n, d). */
export function checkComponents(fn: string, k: number, n: number, d: number): void {
  if (k > Math.min(n, d)) {
    throw new ValueError(
      fn,
      'nComponents is out of range',
      `an integer in [1, min(n, d) = ${Math.min(n, d)}]`,
      String(k),
    );
  }
}

/** Throws unless the total variance is > 0. */
export function checkVariance(fn: string, total: number): void {
  if (!(total > 0))
    throw new ValueError(
      fn,
      'the data have no variance',
      'at least one non-constant feature',
      `total variance ${total}`,
    );
}

/** The chunkRows option, checked (default {@link defaultChunkRows}). */
export function checkChunkRows(fn: string, chunkRows: number | undefined, d: number): number {
  if (chunkRows === undefined) return defaultChunkRows(d);
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) {
    throw new ValueError(fn, 'chunkRows is out of range', 'an integer ≥ 1', String(chunkRows));
  }
  return chunkRows;
}
