import { checkKeys, formatShape, ShapeError, ValueError } from '@latentlab/core';
import {
  add,
  type io,
  matMul,
  squaredDifference,
  sub,
  sum,
  type Tensor1D,
  type Tensor2D,
  tensor1d,
  tensor2d,
  tidy,
} from '@tensorflow/tfjs-core';
import { NotFittedError } from '../errors.js';
import { inputRows, type ModelInput } from '../inputs.js';
import type { SaveModelOptions } from '../io/save-options.js';
import type { LossSummary } from '../model-contract.js';
import { symmetricEigen } from './eigen.js';
import { defaultChunkRows, type PcaKernel, type RowSource } from './matrix.js';
import { addChunk, Moments } from './moments.js';
import { randomizedEigen } from './randomized.js';

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
  /** Randomized solver: seed of the Gaussian test matrix. */
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

const FIT_OPTION_KEYS = ['chunkRows', 'kernel'];

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

/** The parameters of a fitted PCA, for {@link Pca.fromParameters} (scikit-learn's names in brackets). */
export interface PcaParameters {
  /** The mean m of the training rows, length d (`mean_`). */
  mean: ArrayLike<number>;
  /** The k components as orthonormal rows, row-major k × d (`components_`). */
  components: ArrayLike<number>;
  /** Their variances λ_1 ≥ … ≥ λ_k ≥ 0, n − 1 normalisation (`explained_variance_`). */
  explainedVariance: ArrayLike<number>;
  /** Σ of all d eigenvalues, trace(C) (`explained_variance_[0] / explained_variance_ratio_[0]`). */
  totalVariance: number;
  /** Training rows n ≥ 2 (`n_samples_`). */
  n: number;
}

/** The fitted parameters, in float64. */
interface Fitted {
  solver: 'exact' | 'randomized';
  n: number;
  d: number;
  mean: Float64Array; // [d]
  components: Float64Array; // [k, d], orthonormal rows
  explainedVariance: Float64Array; // [k], λ_j with the n − 1 normalisation
  totalVariance: number; // Σ of all d eigenvalues = trace(C)
  tensors: { mean: Tensor1D; components: Tensor2D; encoder: Tensor2D; decoder: Tensor2D };
}

/**
 * Principal component analysis: the linear encoder/decoder of docs/math.md §2.
 *
 * With the centred data Xc = X − 1mᵀ and covariance C = Xcᵀ Xc / (n − 1) = W Λ Wᵀ, the k components are the
 * rows of W_k (eigenvectors of the k largest eigenvalues λ_1 ≥ … ≥ λ_k):
 *
 *     encode(x) = W_k (x − m)            (÷ √λ_j per component with `whiten`)
 *     decode(z) = W_kᵀ z + m             (z_j · √λ_j first with `whiten`)
 *     explained variance ratio_j = λ_j / Σ_i λ_i
 *
 * and the mean squared reconstruction error over the training rows, summed over features, is
 * (n − 1)/n · Σ_{j>k} λ_j (the discarded eigenvalues; λ uses the n − 1 normalisation, as scikit-learn does).
 *
 * Every method takes data as a Dataset, a Tensor2D [n, d] or `{ data, shape }` ({@link ModelInput}); stored
 * bytes (Uint8Array) are read as x / 255, as the autoencoders and VAEs read them.
 *
 * @example
 * const pca = new Pca({ nComponents: 2 });
 * await pca.fit(x);                    // x: a Dataset, a Tensor2D [n, d] or { data, shape: [n, d] }
 * const z = pca.encode(x);             // [n, 2]
 * const xHat = pca.decode(z);          // [n, d]
 * pca.explainedVarianceRatio;          // Float64Array [2]
 * pca.dispose();
 */
export class Pca {
  readonly config: Readonly<PcaConfig>;
  private fitted: Fitted | null = null;
  private pending: Moments | null = null;

  constructor(config: Partial<PcaConfig> = {}) {
    const fn = 'Pca';
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
    if (!(Number.isInteger(c.oversamples) && c.oversamples >= 0)) {
      throw new ValueError(fn, 'oversamples is out of range', 'an integer ≥ 0', String(c.oversamples));
    }
    if (!(Number.isInteger(c.powerIterations) && c.powerIterations >= 0)) {
      throw new ValueError(fn, 'powerIterations is out of range', 'an integer ≥ 0', String(c.powerIterations));
    }
    if (!Number.isFinite(c.seed)) throw new ValueError(fn, 'seed is not finite', 'a finite number', String(c.seed));
    this.config = Object.freeze(c);
  }

  /**
   * Fits the model to the rows of `x` ([n, d], n ≥ 2). The data are read in chunks of rows; the exact solver
   * makes one pass, the randomized one q + 2. Replaces any previous fit.
   */
  async fit(x: ModelInput, options: PcaFitOptions = {}): Promise<this> {
    const fn = 'Pca.fit';
    checkKeys(fn, 'options', options, FIT_OPTION_KEYS);
    const source = inputRows(fn, 'x', x);
    checkSamples(fn, source.n);
    const chunkRows = checkChunkRows(fn, options.chunkRows, source.d);
    const kernel = checkKernel(fn, options.kernel);
    const solver = this.chooseSolver(source);
    if (solver === 'exact') {
      const acc = new Moments(source.d, true);
      await addRows(fn, acc, source, chunkRows, kernel);
      this.finish(fn, acc);
      return this;
    }
    const k = this.config.nComponents!;
    checkComponents(fn, k, source.n, source.d);
    const acc = new Moments(source.d, false);
    await addRows(fn, acc, source, chunkRows, kernel);
    const totalVariance = acc.trace() / (acc.n - 1);
    checkVariance(fn, totalVariance);
    const { oversamples, powerIterations, seed } = this.config;
    const { values, vectors } = await randomizedEigen(source, acc.mean, k, {
      oversamples,
      powerIterations,
      seed,
      chunkRows,
      kernel,
    });
    this.setFitted('randomized', acc.n, acc.d, acc.mean, vectors, values, totalVariance);
    return this;
  }

  /**
   * Incremental fitting: accumulates the count, mean and scatter matrix of one batch of rows ([b, d]) in
   * float64 (Chan et al.'s pairwise update). Call {@link finalize} after the last batch; the result equals
   * `fit` on the concatenated rows. Uses the exact solver (`solver: 'randomized'` is refused).
   */
  async partialFit(batch: ModelInput, options: PcaFitOptions = {}): Promise<this> {
    const fn = 'Pca.partialFit';
    checkKeys(fn, 'options', options, FIT_OPTION_KEYS);
    if (this.config.solver === 'randomized') {
      throw new ValueError(
        fn,
        'incremental fitting uses the exact solver',
        "solver 'exact' or 'auto'",
        "solver 'randomized'",
      );
    }
    const source = inputRows(fn, 'batch', batch);
    if (this.pending && this.pending.d !== source.d) {
      throw new ShapeError(
        fn,
        'batch has a different number of features from the previous batches',
        `[b, ${this.pending.d}]`,
        formatShape([source.n, source.d]),
      );
    }
    const kernel = checkKernel(fn, options.kernel);
    // Accumulate the batch on its own first, so a batch rejected half-way (NaN) leaves the running sums intact.
    const part = new Moments(source.d, true);
    await addRows(fn, part, source, checkChunkRows(fn, options.chunkRows, source.d), kernel);
    this.pending ??= new Moments(source.d, true);
    this.pending.merge(part.n, part.mean, part.m2);
    return this;
  }

  /** Ends incremental fitting: eigendecomposes the accumulated covariance. Replaces any previous fit. */
  finalize(): this {
    const fn = 'Pca.finalize';
    if (!this.pending) throw new NotFittedError(fn, 'no batch was given', 'partialFit(batch) first', 'no batch');
    const acc = this.pending;
    checkSamples(fn, acc.n);
    this.finish(fn, acc);
    this.pending = null;
    return this;
  }

  /** Codes of the rows of `x` ([n, d] → [n, k]): z = (x − m) W_kᵀ, divided by √λ with `whiten`. */
  transform(x: ModelInput): Tensor2D {
    const f = this.require('Pca.transform');
    const source = inputRows('Pca.transform', 'x', x);
    if (source.d !== f.d) {
      throw new ShapeError(
        'Pca.transform',
        'x has the wrong number of features',
        `[n, ${f.d}]`,
        formatShape([source.n, source.d]),
      );
    }
    return tidy(() => {
      const t = source.tensor(0, source.n);
      return matMul(sub(t, f.tensors.mean), f.tensors.encoder);
    });
  }

  /** Reconstruction from codes ([n, k] → [n, d]): x̂ = z W_k + m (z scaled by √λ first with `whiten`). */
  inverseTransform(z: ModelInput): Tensor2D {
    const f = this.require('Pca.inverseTransform');
    const k = f.explainedVariance.length;
    const source = inputRows('Pca.inverseTransform', 'z', z);
    if (source.d !== k) {
      throw new ShapeError(
        'Pca.inverseTransform',
        'z has the wrong number of components',
        `[n, ${k}]`,
        formatShape([source.n, source.d]),
      );
    }
    return tidy(() => add(matMul(source.tensor(0, source.n), f.tensors.decoder), f.tensors.mean));
  }

  /** Alias of {@link transform} (the models' common encode/decode API). */
  encode(x: ModelInput): Tensor2D {
    return this.transform(x);
  }

  /** Alias of {@link inverseTransform}. */
  decode(z: ModelInput): Tensor2D {
    return this.inverseTransform(z);
  }

  /** decode(encode(x)): the projection of x onto the affine principal subspace. */
  reconstruct(x: ModelInput): Tensor2D {
    const z = this.transform(x);
    try {
      return this.inverseTransform(z);
    } finally {
      z.dispose();
    }
  }

  /**
   * `fit(x)` then `transform(x)`: the codes of the training rows, [n, k] (scikit-learn's `fit_transform`).
   *
   * @example
   * const z = await new Pca({ nComponents: 2 }).fitTransform(mnist.train); // [60000, 2]
   */
  async fitTransform(x: ModelInput, options: PcaFitOptions = {}): Promise<Tensor2D> {
    await this.fit(x, options);
    return this.transform(x);
  }

  /**
   * The mean squared reconstruction error over the rows of `x`, per feature, as the autoencoders' `'mse'` loss
   * (so a linear autoencoder and PCA compare directly): loss = (1/n) Σ_b (1/d) ‖x_b − x̂_b‖², computed in
   * chunks of rows. `kl` is null.
   */
  async evaluate(x: ModelInput, options: Pick<PcaFitOptions, 'chunkRows'> = {}): Promise<LossSummary> {
    const fn = 'Pca.evaluate';
    checkKeys(fn, 'options', options, ['chunkRows']);
    const f = this.require(fn);
    const source = inputRows(fn, 'x', x);
    if (source.d !== f.d || source.n === 0) {
      throw new ShapeError(
        fn,
        'x has the wrong number of features',
        `[n ≥ 1, ${f.d}]`,
        formatShape([source.n, source.d]),
      );
    }
    const chunkRows = checkChunkRows(fn, options.chunkRows, source.d);
    let total = 0;
    for (let start = 0; start < source.n; start += chunkRows) {
      const end = Math.min(source.n, start + chunkRows);
      const e = tidy(() => {
        const rows = source.tensor(start, end);
        const xHat = add(
          matMul(matMul(sub(rows, f.tensors.mean), f.tensors.encoder), f.tensors.decoder),
          f.tensors.mean,
        );
        return sum(squaredDifference(rows, xHat));
      });
      total += (await e.data())[0]!;
      e.dispose();
    }
    const loss = total / (source.n * source.d);
    return { loss, reconstruction: loss, kl: null };
  }

  /**
   * Saves the fitted model like tfjs's `model.save(url)` (`'indexeddb://name'`, `'downloads://name'`,
   * `'file://dir'` in Node after `import '@latentlab/models/node'`, or an IO handler): `saveModel(this, url)`.
   *
   * @example
   * await pca.save('downloads://pca-mnist');
   */
  async save(url: string | io.IOHandler, options: SaveModelOptions = {}): Promise<io.SaveResult> {
    const fn = 'Pca.save';
    this.require(fn);
    checkKeys(fn, 'options', options, ['optimizer', 'optimizerConfig', 'training']);
    // Imported when called: save-load imports this file.
    const { saveModel } = await import('../io/save-load.js');
    return saveModel(this, url, options);
  }

  /** The components W_k, [k, d] with orthonormal rows. Owned by the model: disposed by {@link dispose}. */
  get components(): Tensor2D {
    return this.require('Pca.components').tensors.components;
  }

  /** The training mean m, [d]. Owned by the model. */
  get mean(): Tensor1D {
    return this.require('Pca.mean').tensors.mean;
  }

  /** λ_1 … λ_k: the variance of the data along each component (n − 1 normalisation). */
  get explainedVariance(): Float64Array {
    return Float64Array.from(this.require('Pca.explainedVariance').explainedVariance);
  }

  /** λ_j / Σ_i λ_i, the sum running over all d eigenvalues (the total variance, trace C). */
  get explainedVarianceRatio(): Float64Array {
    const f = this.require('Pca.explainedVarianceRatio');
    return f.explainedVariance.map((v) => v / f.totalVariance);
  }

  /** Σ_i λ_i = trace C, the total variance of the training data. */
  get totalVariance(): number {
    return this.require('Pca.totalVariance').totalVariance;
  }

  /**
   * A fitted PCA from its parameters (computed elsewhere, e.g. scikit-learn's `PCA` or a saved model of another
   * tool), after checking them: d = |m| ≥ 1, 1 ≤ k ≤ d components of length d whose rows are orthonormal
   * (|W Wᵀ − I| ≤ 1e-4), finite variances λ_1 ≥ … ≥ λ_k ≥ 0 with Σλ ≤ totalVariance, n ≥ 2. `config` may set
   * `whiten`; the components keep the sign convention of `fit` (largest loading positive).
   * @throws {ShapeError | ValueError} naming `Pca.fromParameters` and the first bad field.
   * @example
   * // From scikit-learn: pca = PCA(50).fit(X); json.dump({...}, f)
   * const pca = Pca.fromParameters({ mean, components, explainedVariance, totalVariance, n: 60000 });
   * const z = pca.encode(x);
   */
  static fromParameters(params: PcaParameters, config: Partial<Pick<PcaConfig, 'whiten'>> = {}): Pca {
    const fn = 'Pca.fromParameters';
    if (params === null || typeof params !== 'object') {
      throw new ValueError(
        fn,
        'params is not an object',
        '{ mean, components, explainedVariance, totalVariance, n }',
        String(params),
      );
    }
    const vector = (name: string, v: ArrayLike<number> | undefined) => {
      if (v === null || typeof v !== 'object' || typeof v.length !== 'number') {
        throw new ValueError(fn, `${name} is not an array of numbers`, 'an array or typed array', String(v));
      }
      const out = Float64Array.from(v);
      const bad = out.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new ValueError(fn, `${name}[${bad}] is not finite`, 'finite numbers', String(v[bad]));
      return out;
    };
    const mean = vector('mean', params.mean);
    const components = vector('components', params.components);
    const values = vector('explainedVariance', params.explainedVariance);
    const d = mean.length;
    const k = values.length;
    if (d === 0 || k === 0 || k > d || components.length !== k * d) {
      throw new ShapeError(
        fn,
        'the sizes do not fit together',
        'mean of length d ≥ 1, explainedVariance of length 1 ≤ k ≤ d, components of length k·d',
        `d = ${d}, k = ${k}, components of length ${components.length}`,
      );
    }
    for (let j = 0; j < k; j++) {
      if (values[j]! < 0 || (j > 0 && values[j]! > values[j - 1]! * (1 + 1e-9))) {
        throw new ValueError(fn, `explainedVariance[${j}] is out of order`, 'λ_1 ≥ … ≥ λ_k ≥ 0', String(values[j]));
      }
    }
    const sum = values.reduce((a, b) => a + b, 0);
    const total = params.totalVariance;
    if (!(Number.isFinite(total) && total > 0 && total >= sum * (1 - 1e-9))) {
      throw new ValueError(fn, 'totalVariance is out of range', `a finite number ≥ Σλ = ${sum}`, String(total));
    }
    if (!(Number.isInteger(params.n) && params.n >= 2)) {
      throw new ValueError(fn, 'n is out of range', 'an integer ≥ 2', String(params.n));
    }
    // Orthonormal rows: |w_i · w_j − δ_ij| ≤ 1e-4.
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += components[i * d + c]! * components[j * d + c]!;
        if (Math.abs(dot - (i === j ? 1 : 0)) > 1e-4) {
          throw new ValueError(
            fn,
            'the components are not orthonormal',
            `w_${i}·w_${j} = ${i === j ? 1 : 0} ± 1e-4`,
            String(dot),
          );
        }
      }
    }
    const pca = new Pca({ nComponents: k, whiten: config.whiten ?? false });
    pca.setFitted('exact', params.n, d, mean, components, values, total);
    return pca;
  }

  /** Number of components k kept by the fit. */
  get nComponents(): number {
    return this.require('Pca.nComponents').explainedVariance.length;
  }

  /** The solver the last fit used (`'auto'` resolved). */
  get solver(): 'exact' | 'randomized' {
    return this.require('Pca.solver').solver;
  }

  /** True once `fit` or `finalize` has run. */
  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Frees the model's tensors; the model is unfitted afterwards. */
  dispose(): void {
    if (this.fitted) {
      const { mean, components, encoder, decoder } = this.fitted.tensors;
      for (const t of new Set([mean, components, encoder, decoder])) t.dispose();
    }
    this.fitted = null;
    this.pending = null;
  }

  private chooseSolver({ n, d }: RowSource): 'exact' | 'randomized' {
    const { solver, nComponents, oversamples, powerIterations } = this.config;
    if (solver !== 'auto') return solver;
    if (nComponents === null) return 'exact';
    // Rough cost model in flops, JavaScript flops weighted ×10: exact = the covariance pass (upper triangle
    // plus overhead) and the eigendecomposition; randomized = (q + 1) passes of two n×d×l products and the
    // Gram–Schmidt steps. MNIST (60 000 × 784, k = 50): exact 5.1e10 < randomized 5.6e10.
    const l = Math.min(nComponents + oversamples, d);
    const exact = 1.2 * n * d * d + 10 * (4 / 3) * d ** 3;
    const randomized = (powerIterations + 1) * 4 * n * d * l + 10 * 4 * (powerIterations + 2) * d * l * l;
    return randomized < exact ? 'randomized' : 'exact';
  }

  private finish(fn: string, acc: Moments): void {
    const { n, d } = acc;
    const cov = acc.symmetric();
    for (let i = 0; i < cov.length; i++) cov[i] = cov[i]! / (n - 1);
    const totalVariance = acc.trace() / (n - 1);
    checkVariance(fn, totalVariance);
    const limit = Math.min(n, d);
    if (this.config.nComponents !== null) checkComponents(fn, this.config.nComponents, n, d);
    const chooseK = (values: Float64Array): number => {
      if (this.config.varianceFraction === null) return this.config.nComponents ?? limit;
      // The smallest k with Σ_{j≤k} λ_j ≥ fraction · Σ λ (a relative 1e-12 absorbs rounding at fraction 1).
      const target = this.config.varianceFraction * totalVariance * (1 - 1e-12);
      let cum = 0;
      let k = 0;
      while (k < limit && cum < target) cum += Math.max(0, values[k++]!);
      return k;
    };
    const { values, vectors } = symmetricEigen(cov, d, chooseK);
    const k = vectors.length / d;
    for (let j = 0; j < k; j++) values[j] = Math.max(0, values[j]!);
    this.setFitted('exact', n, d, acc.mean, vectors.subarray(0, k * d), values.subarray(0, k), totalVariance);
  }

  private setFitted(
    solver: 'exact' | 'randomized',
    n: number,
    d: number,
    mean: Float64Array,
    vectors: Float64Array,
    values: Float64Array,
    totalVariance: number,
  ): void {
    const k = values.length;
    const components = Float64Array.from(vectors);
    // Sign convention: the largest-magnitude loading of every component is positive.
    for (let j = 0; j < k; j++) {
      const row = components.subarray(j * d, j * d + d);
      let big = 0;
      for (let c = 0; c < d; c++) if (Math.abs(row[c]!) > Math.abs(row[big]!)) big = c;
      if (row[big]! < 0) for (let c = 0; c < d; c++) row[c] = -row[c]!;
    }
    // With `whiten`, scale by σ_j = √λ_j (floored at 1e-12·σ_1 so zero-variance components map to 0, not NaN).
    const sigmaFloor = Math.sqrt(values[0] ?? 0) * 1e-12;
    const sigma = Array.from(values, (v) => Math.max(Math.sqrt(v), sigmaFloor));
    const encoder = new Float32Array(d * k); // [d, k]
    const decoder = new Float32Array(k * d); // [k, d]
    for (let j = 0; j < k; j++) {
      const s = this.config.whiten ? sigma[j]! : 1;
      for (let c = 0; c < d; c++) {
        const w = components[j * d + c]!;
        encoder[c * k + j] = s > 0 ? w / s : 0;
        decoder[j * d + c] = w * s;
      }
    }
    this.dispose();
    const tensors = {
      mean: tensor1d(Float32Array.from(mean)),
      components: tensor2d(Float32Array.from(components), [k, d]),
      encoder: tensor2d(encoder, [d, k]),
      decoder: tensor2d(decoder, [k, d]),
    };
    this.fitted = {
      solver,
      n,
      d,
      mean: Float64Array.from(mean),
      components,
      explainedVariance: Float64Array.from(values),
      totalVariance,
      tensors,
    };
  }

  private require(fn: string): Fitted {
    if (!this.fitted)
      throw new NotFittedError(
        fn,
        'the model is not fitted',
        'fit(x) or partialFit + finalize first',
        'an unfitted Pca',
      );
    return this.fitted;
  }
}

async function addRows(fn: string, acc: Moments, source: RowSource, chunkRows: number, kernel: PcaKernel) {
  for (let start = 0; start < source.n; start += chunkRows) {
    await addChunk(fn, acc, source, start, Math.min(source.n, start + chunkRows), kernel);
  }
}

function checkKernel(fn: string, kernel: PcaKernel | undefined): PcaKernel {
  if (kernel === undefined) return 'auto';
  if (!['auto', 'backend', 'javascript'].includes(kernel)) {
    throw new ValueError(fn, 'unknown kernel', "'auto', 'backend' or 'javascript'", String(kernel));
  }
  return kernel;
}

function checkSamples(fn: string, n: number): void {
  if (n < 2) throw new ValueError(fn, 'too few rows to estimate a covariance', 'n ≥ 2 rows', `n = ${n}`);
}

function checkComponents(fn: string, k: number, n: number, d: number): void {
  if (k > Math.min(n, d)) {
    throw new ValueError(
      fn,
      'nComponents is out of range',
      `an integer in [1, min(n, d) = ${Math.min(n, d)}]`,
      String(k),
    );
  }
}

function checkVariance(fn: string, total: number): void {
  if (!(total > 0))
    throw new ValueError(
      fn,
      'the data have no variance',
      'at least one non-constant feature',
      `total variance ${total}`,
    );
}

function checkChunkRows(fn: string, chunkRows: number | undefined, d: number): number {
  if (chunkRows === undefined) return defaultChunkRows(d);
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) {
    throw new ValueError(fn, 'chunkRows is out of range', 'an integer ≥ 1', String(chunkRows));
  }
  return chunkRows;
}
