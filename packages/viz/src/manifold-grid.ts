import type { LatentCodes } from './codes.js';
import { VizValueError } from './errors.js';
import { normalQuantile } from './normal-quantile.js';
import { pca } from './pca.js';

/** A plane through latent space: z(x, y) = origin + x·u + y·v. */
export interface LatentPlane {
  origin: Float64Array;
  u: Float64Array;
  v: Float64Array;
  /** Axis names for plots, e.g. `['z₁', 'z₂']` or `['PC 1 (σ)', 'PC 2 (σ)']`. */
  labels: [string, string];
}

/** Grid lines evenly spaced in z (`'linear'`), or at Φ⁻¹ of evenly spaced probabilities (`'gaussian'`). */
export type GridSpacing = 'linear' | 'gaussian';

/** Options of `gridValues`: the spacing and the range it spans. */
export interface GridValueOptions {
  /** `'linear'`: evenly spaced on [−extent, extent]; `'gaussian'`: Φ⁻¹ of evenly spaced probabilities. */
  spacing?: GridSpacing;
  /** Half-width of the linear grid (default 3). */
  extent?: number;
  /** Probability range of the gaussian grid (default [0.05, 0.95]). */
  quantiles?: [number, number];
}

/**
 * `n` ascending grid coordinates.
 * linear: x_i = −e + 2e·i/(n − 1); gaussian: x_i = Φ⁻¹(p_lo + (p_hi − p_lo)·i/(n − 1)).
 *
 * @example
 * gridValues(3, { spacing: 'gaussian', quantiles: [0.025, 0.975] }); // ≈ [-1.96, 0, 1.96]
 */
export function gridValues(n: number, options: GridValueOptions = {}): number[] {
  const fn = 'gridValues';
  const { spacing = 'linear', extent = 3, quantiles = [0.05, 0.95] } = options;
  if (!Number.isInteger(n) || n < 2) throw new VizValueError(fn, 'grid size', 'an integer ≥ 2', String(n));
  if (spacing === 'linear') {
    if (!(extent > 0 && Number.isFinite(extent)))
      throw new VizValueError(fn, 'extent', 'a finite number > 0', String(extent));
    return Array.from({ length: n }, (_, i) => -extent + (2 * extent * i) / (n - 1));
  }
  if (spacing !== 'gaussian') throw new VizValueError(fn, 'unknown spacing', "'linear' | 'gaussian'", String(spacing));
  const [lo, hi] = quantiles;
  if (!(lo > 0 && hi < 1 && lo < hi)) throw new VizValueError(fn, 'quantiles', '0 < lo < hi < 1', `[${lo}, ${hi}]`);
  return Array.from({ length: n }, (_, i) => normalQuantile(lo + ((hi - lo) * i) / (n - 1)));
}

/**
 * The plane of two latent dimensions `dims`, other coordinates held at `base` (default 0).
 *
 * @example
 * dimsPlane(2).labels; // ['z₁', 'z₂']
 */
export function dimsPlane(latentDim: number, dims: [number, number] = [0, 1], base?: ArrayLike<number>): LatentPlane {
  const fn = 'dimsPlane';
  if (!Number.isInteger(latentDim) || latentDim < 2)
    throw new VizValueError(fn, 'latentDim', 'an integer ≥ 2', String(latentDim));
  const [i, j] = dims;
  if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < latentDim && j < latentDim && i !== j)) {
    throw new VizValueError(fn, 'dims', `two different integers in [0, ${latentDim})`, `[${i}, ${j}]`);
  }
  if (base && base.length !== latentDim) throw new VizValueError(fn, 'base length', `${latentDim}`, `${base.length}`);
  const origin = base ? Float64Array.from(base) : new Float64Array(latentDim);
  const u = new Float64Array(latentDim);
  const v = new Float64Array(latentDim);
  u[i] = 1;
  v[j] = 1;
  const sub = (k: number) => String(k + 1).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]!);
  return { origin, u, v, labels: [`z${sub(i)}`, `z${sub(j)}`] };
}

/**
 * The plane of the top two principal directions of `codes`, through their mean, with axes in standard deviations:
 * z(x, y) = μ + x·√λ₁·e₁ + y·√λ₂·e₂. A Gaussian-quantile grid then covers the codes' own spread.
 *
 * @example
 * const codes = Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(i), i / 50]);
 * const plane = pcaPlane(codes); // codes: number[][] of any dim ≥ 2
 */
export function pcaPlane(codes: LatentCodes, dim?: number): LatentPlane {
  const { mean, components, variances } = pca(codes, dim);
  if (mean.length < 2) throw new VizValueError('pcaPlane', 'code dimension', '≥ 2', `${mean.length}`);
  const u = components[0]!.map((e) => e * Math.sqrt(variances[0]!));
  const v = components[1]!.map((e) => e * Math.sqrt(variances[1]!));
  return { origin: mean, u, v, labels: ['PC 1 (σ)', 'PC 2 (σ)'] };
}

/** Codes on a regular grid over a plane, row-major with row 0 at the top (largest y). */
export interface ManifoldCodes {
  codes: Float32Array[];
  /** Column coordinates, ascending (left → right). */
  xs: number[];
  /** Row coordinates, descending (top → bottom). */
  ys: number[];
  labels: [string, string];
}

/**
 * The n × n grid of codes z = origin + x·u + y·v for x in `gridValues(n)` (columns) and y in reversed
 * `gridValues(n)` (rows), so the picture reads like a plot with y growing upwards.
 *
 * @example
 * manifoldCodes(dimsPlane(2), 20, { spacing: 'gaussian' }).codes.length; // 400
 */
export function manifoldCodes(plane: LatentPlane, n: number, options: GridValueOptions = {}): ManifoldCodes {
  const values = gridValues(n, options);
  const ys = [...values].reverse();
  const d = plane.origin.length;
  const codes: Float32Array[] = [];
  for (const y of ys) {
    for (const x of values) {
      const z = new Float32Array(d);
      for (let k = 0; k < d; k++) z[k] = plane.origin[k]! + x * plane.u[k]! + y * plane.v[k]!;
      codes.push(z);
    }
  }
  return { codes, xs: values, ys, labels: plane.labels };
}
