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
  tidy,
} from '@tensorflow/tfjs-core';
import { NotFittedError } from '../errors.js';
import { inputRows, type ModelInput } from '../inputs.js';
import type { SaveModelOptions } from '../io/save-options.js';
import type { LossSummary } from '../model-contract.js';
import { Moments } from './moments.js';
import {
  checkChunkRows,
  checkKernel,
  checkSamples,
  chooseSolver,
  FIT_OPTION_KEYS,
  type PcaConfig,
  type PcaFitOptions,
  resolvePcaConfig,
} from './pca-config.js';
import {
  checkPcaParameters,
  type Fitted,
  type FittedParameters,
  fittedState,
  type PcaParameters,
} from './pca-parameters.js';
import { addRows, exactFit, exactSolve, randomizedFit } from './solvers.js';

export { DEFAULT_PCA_CONFIG, type PcaConfig, type PcaFitOptions } from './pca-config.js';
export type { FittedParameters, PcaParameters } from './pca-parameters.js';

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
 * const x = tf.tensor2d([[1, 2, 0], [2, 4.1, 1], [3, 5.9, 0], [4, 8, 1]]); // n = 4 rows, d = 3
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
    this.config = resolvePcaConfig(config, 'Pca');
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
    const solve = chooseSolver(this.config, source) === 'exact' ? exactFit : randomizedFit;
    this.setFitted(await solve(fn, source, this.config, chunkRows, kernel));
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
    const exactOnly = "solver 'exact' or 'auto'";
    if (this.config.solver === 'randomized') {
      throw new ValueError(fn, 'incremental fitting uses the exact solver', exactOnly, "solver 'randomized'");
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
    this.setFitted(exactSolve(fn, acc, this.config));
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
   * const x = tf.randomUniform([100, 784]); // MNIST's training set in a real run: [60000, 2] below
   * const z = await new Pca({ nComponents: 2 }).fitTransform(x); // [100, 2]
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
   * // 'file://' in Node; a browser has 'downloads://pca-mnist'
   * import '@latentlab/models/node';
   * const pca = new Pca({ nComponents: 1 });
   * await pca.fit(tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9]]));
   * await pca.save('file://pca-mnist');
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
   * A fitted PCA from its parameters (computed elsewhere, e.g. scikit-learn's `PCA`, a saved model or
   * {@link toParameters}), after checking them: d = |m| ≥ 1, 1 ≤ k ≤ d components of length d whose rows are
   * orthonormal (|W Wᵀ − I| ≤ 1e-4), finite variances λ_1 ≥ … ≥ λ_k ≥ 0 with Σλ ≤ totalVariance (up to float32
   * rounding), n ≥ 2. `config` may set any {@link PcaConfig} field (a saved model's config); nComponents, when
   * given, must be k, and defaults to k unless varianceFraction is set. The components keep the sign
   * convention of `fit` (largest loading positive).
   * @throws {ShapeError | ValueError} naming `Pca.fromParameters` and the first bad field.
   * @example
   * // From scikit-learn: pca = PCA(1).fit(X); json.dump({ 'mean': pca.mean_.tolist(), ... }, f)
   * const [mean, components] = [[1, 2], [0.6, 0.8]]; // d = 2, k = 1
   * const [explainedVariance, totalVariance] = [[2], 2.5];
   * const pca = Pca.fromParameters({ mean, components, explainedVariance, totalVariance, n: 60000 });
   * const z = pca.encode(tf.tensor2d([[4, 6]])); // [[0.6·3 + 0.8·4]] = [[5]]
   */
  static fromParameters(params: PcaParameters, config: Partial<PcaConfig> = {}): Pca {
    const fn = 'Pca.fromParameters';
    const p = checkPcaParameters(fn, params);
    const k = p.explainedVariance.length;
    const c = { ...config };
    if (c.nComponents == null && c.varianceFraction == null) c.nComponents = k;
    const pca = new Pca(c);
    if (pca.config.nComponents !== null && pca.config.nComponents !== k) {
      throw new ValueError(
        fn,
        'config.nComponents disagrees with the parameters',
        `k = ${k}`,
        String(pca.config.nComponents),
      );
    }
    pca.setFitted(p);
    return pca;
  }

  /**
   * The fitted parameters, fresh float64 copies (scikit-learn's `mean_`, `components_`, `explained_variance_`,
   * the total variance and `n_samples_`) plus the solver that computed them: what `saveModel` stores and
   * {@link fromParameters} takes back, so `Pca.fromParameters(pca.toParameters(), pca.config)` is the same model.
   * @throws {NotFittedError} before a fit.
   * @example
   * const pca = new Pca({ nComponents: 1 });
   * await pca.fit(tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9]])); // d = 2, k = 1
   * const { mean, components, explainedVariance } = pca.toParameters(); // Float64Array [d], [k·d], [k]
   */
  toParameters(): FittedParameters {
    const f = this.require('Pca.toParameters');
    return {
      mean: Float64Array.from(f.mean),
      components: Float64Array.from(f.components),
      explainedVariance: Float64Array.from(f.explainedVariance),
      totalVariance: f.totalVariance,
      n: f.n,
      solver: f.solver,
    };
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

  /** Replaces the fit (and frees the old one's tensors) by the state of `p`. */
  private setFitted(p: Omit<Fitted, 'tensors'>): void {
    const next = fittedState(p, this.config.whiten);
    this.dispose();
    this.fitted = next;
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
