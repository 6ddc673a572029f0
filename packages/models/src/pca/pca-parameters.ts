import { formatShape, ShapeError, ValueError } from '@latentlab/core';
import { type Tensor1D, type Tensor2D, tensor1d, tensor2d } from '@tensorflow/tfjs-core';

/** The parameters of a fitted PCA, for `Pca.fromParameters` / `Pca.toParameters` (scikit-learn's names in brackets). */
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
  /** The solver that computed them (default `'exact'`): reported by `Pca.solver`. */
  solver?: 'exact' | 'randomized';
}

/** What `Pca.toParameters` returns: {@link PcaParameters} as fresh float64 arrays, with the solver. */
export interface FittedParameters extends Required<PcaParameters> {
  mean: Float64Array;
  components: Float64Array;
  explainedVariance: Float64Array;
}

/**
 * Relative slack of the Σλ ≤ totalVariance check: a fit on wasm or webgl computes the covariance in float32, so
 * Σλ can exceed the float64 trace by a few float32 ulps (measured: 4.7e-8 relative on wasm).
 */
export const PCA_VARIANCE_SLACK = 1e-5;

/** The fitted state of a Pca, in float64, with the tensors `encode`/`decode` use. */
export interface Fitted {
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
 * Checks parameters computed elsewhere and copies them into float64: d = |m| ≥ 1, 1 ≤ k ≤ d components of
 * length d whose rows are orthonormal (|W Wᵀ − I| ≤ 1e-4), finite variances λ_1 ≥ … ≥ λ_k ≥ 0 with
 * Σλ ≤ totalVariance·(1 + {@link PCA_VARIANCE_SLACK}), n ≥ 2, a known solver.
 * @throws {ShapeError | ValueError} naming `fn` and the first bad field.
 */
export function checkPcaParameters(fn: string, params: PcaParameters): Omit<Fitted, 'tensors'> {
  const expected = '{ mean, components, explainedVariance, totalVariance, n }';
  if (params === null || typeof params !== 'object') {
    throw new ValueError(fn, 'params is not an object', expected, String(params));
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
  if (!(Number.isFinite(total) && total > 0 && sum <= total * (1 + PCA_VARIANCE_SLACK))) {
    throw new ValueError(fn, 'totalVariance is out of range', `a finite number ≥ Σλ = ${sum}`, String(total));
  }
  if (!(Number.isInteger(params.n) && params.n >= 2)) {
    throw new ValueError(fn, 'n is out of range', 'an integer ≥ 2', String(params.n));
  }
  const solver = params.solver ?? 'exact';
  if (solver !== 'exact' && solver !== 'randomized') {
    throw new ValueError(fn, 'unknown solver', "'exact' or 'randomized'", String(solver));
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
  return { solver, n: params.n, d, mean, components, explainedVariance: values, totalVariance: total };
}

/**
 * The fitted state from float64 parameters, with the tensors `encode`/`decode` use (the caller disposes them
 * through the Pca). Components are turned to the sign convention of `fit` (the largest-magnitude loading of
 * each is positive); with `whiten`, encoder columns are divided and decoder rows multiplied by σ_j = √λ_j
 * (floored at 1e-12·σ_1, so zero-variance components map to 0, not NaN). A `d` that disagrees with the mean
 * is a ShapeError.
 *
 * @example
 * const params = { mean: [1, 2], components: [-0.6, -0.8], explainedVariance: [2], totalVariance: 2.5, n: 10 };
 * const fitted = fittedState(checkPcaParameters('Pca.fromParameters', params), false); // components [0.6, 0.8]
 */
export function fittedState(p: Omit<Fitted, 'tensors'>, whiten: boolean): Fitted {
  const { d, explainedVariance: values } = p;
  const k = values.length;
  if (p.mean.length !== d || p.components.length !== k * d) {
    throw new ShapeError('fittedState', 'the parameters disagree with d', `d = ${d}`, formatShape([k, d]));
  }
  const components = Float64Array.from(p.components);
  for (let j = 0; j < k; j++) {
    const row = components.subarray(j * d, j * d + d);
    let big = 0;
    for (let c = 0; c < d; c++) if (Math.abs(row[c]!) > Math.abs(row[big]!)) big = c;
    if (row[big]! < 0) for (let c = 0; c < d; c++) row[c] = -row[c]!;
  }
  const sigmaFloor = Math.sqrt(values[0] ?? 0) * 1e-12;
  const sigma = Array.from(values, (v) => Math.max(Math.sqrt(v), sigmaFloor));
  const encoder = new Float32Array(d * k); // [d, k]
  const decoder = new Float32Array(k * d); // [k, d]
  for (let j = 0; j < k; j++) {
    const s = whiten ? sigma[j]! : 1;
    for (let c = 0; c < d; c++) {
      const w = components[j * d + c]!;
      encoder[c * k + j] = s > 0 ? w / s : 0;
      decoder[j * d + c] = w * s;
    }
  }
  return {
    solver: p.solver,
    n: p.n,
    d,
    mean: Float64Array.from(p.mean),
    components,
    explainedVariance: Float64Array.from(values),
    totalVariance: p.totalVariance,
    tensors: {
      mean: tensor1d(Float32Array.from(p.mean)),
      components: tensor2d(Float32Array.from(components), [k, d]),
      encoder: tensor2d(encoder, [d, k]),
      decoder: tensor2d(decoder, [k, d]),
    },
  };
}
