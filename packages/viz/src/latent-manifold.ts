import { scaleLinear } from 'd3-scale';
import type { LatentCodes } from './codes.js';
import { VizShapeError, VizValueError } from './errors.js';
import { type TileOptions, tilePlot } from './image-grid.js';
import { type ImagesInput, readImages } from './images.js';
import { type InterpolationMethod, interpolate } from './interpolate.js';
import { dimsPlane, type GridValueOptions, type LatentPlane, manifoldCodes, pcaPlane } from './manifold-grid.js';
import type { PlotSpec } from './spec.js';

/** A decoder: codes in, one grey image per code out (flat `[n, h, w]` or one array per image), sync or async. */
export type Decode = (z: Float32Array[]) => ImagesInput | Promise<ImagesInput>;

export interface LatentManifoldOptions extends TileOptions, GridValueOptions {
  decode: Decode;
  imageShape: [number, number];
  /** Tiles per side (default 20). */
  n?: number;
  /** Latent size; with `dims` (default [0, 1]) picks the plane of two latent dimensions. */
  latentDim?: number;
  dims?: [number, number];
  /** Codes whose top-2 principal plane to use instead (needed when latentDim > 2 and no dims are wanted). */
  codes?: LatentCodes;
  codesDim?: number;
  /** An explicit plane (overrides the above). */
  plane?: LatentPlane;
}

const fmt = (v: number) => (Math.abs(v) < 5e-3 ? '0' : v.toFixed(Math.abs(v) >= 10 ? 0 : 1));

function pickPlane(options: LatentManifoldOptions): LatentPlane {
  if (options.plane) return options.plane;
  if (options.codes) return pcaPlane(options.codes, options.codesDim);
  if (options.latentDim !== undefined) return dimsPlane(options.latentDim, options.dims);
  throw new VizValueError('latentManifold', 'no plane', 'one of plane, codes or latentDim', 'none');
}

async function decodeChecked(
  fn: string,
  decode: Decode,
  z: Float32Array[],
  shape: [number, number],
  options: TileOptions,
) {
  const images = readImages(fn, await decode(z), shape, options.range);
  if (images.n !== z.length)
    throw new VizShapeError(fn, 'decode must return one image per code', `${z.length} images`, `${images.n}`);
  return images;
}

/** min(n, max) indices spread evenly over 0 … n − 1, both ends included: round(j·(n − 1)/(m − 1)). */
function tickIndices(n: number, max: number): number[] {
  const m = Math.min(n, max);
  if (m <= 1) return [0];
  return Array.from({ length: m }, (_, j) => Math.round((j * (n - 1)) / (m - 1)));
}

type GridTick = { index: number; label: string };

/**
 * Tick labels for one axis of the grid. A linear grid is affine in the tile index, v(i) = v₀ + (v_{n−1} − v₀)·i/(n − 1),
 * so its ticks sit at round values (d3's `ticks`: −3, −2, …, 3 or −10, −5, …, 10) at the fractional index
 * i = (t − v₀)(n − 1)/(v_{n−1} − v₀), whatever n is, and read like the scatter's axes. A Gaussian-quantile grid
 * is not affine in i: at most 8 of its tiles are labelled with their own values (`tickIndices`).
 */
function gridTicks(values: number[], linear: boolean): GridTick[] {
  const n = values.length;
  if (!linear) return tickIndices(n, 8).map((i) => ({ index: i, label: fmt(values[i]!) }));
  const index = scaleLinear()
    .domain([values[0]!, values[n - 1]!])
    .range([0, n - 1]);
  const label = index.tickFormat(7);
  return index.ticks(7).map((t) => ({ index: index(t), label: label(t) }));
}

/**
 * The learned manifold: decode an n × n grid of codes over a plane of latent space and tile the images in place
 * (Kingma & Welling 2014, fig. 4). The plane is two latent dimensions (`latentDim`, `dims`), the top-2 principal
 * plane of `codes` in σ units (for latent dims > 2), or an explicit `plane`; `spacing: 'gaussian'` places grid
 * lines at Φ⁻¹ of evenly spaced probabilities. The grid itself is the pure transform `manifoldCodes`.
 *
 * @example
 * const decode = (z: Float32Array[]) => toyDecode(z); // a model's decoder: codes → images [n, 28, 28]
 * const plot = await latentManifold({ decode, imageShape: [28, 28], latentDim: 2, n: 20, spacing: 'gaussian' });
 */
export async function latentManifold(options: LatentManifoldOptions): Promise<PlotSpec> {
  const fn = 'latentManifold';
  const n = options.n ?? 20;
  const plane = pickPlane(options);
  const grid = manifoldCodes(plane, n, options);
  const images = await decodeChecked(fn, options.decode, grid.codes, options.imageShape, options);
  const linear = options.spacing !== 'gaussian';
  const colTicks = gridTicks(grid.xs, linear);
  const rowTicks = gridTicks(grid.ys, linear);
  const spacing = options.spacing === 'gaussian' ? 'Gaussian-quantile grid' : 'linear grid';
  return tilePlot({
    title: options.title ?? 'Latent manifold',
    xLabel: options.xLabel ?? grid.labels[0],
    yLabel: options.yLabel ?? grid.labels[1],
    subtitle: `${n} × ${n} decoded codes, ${spacing}`,
    images,
    layout: { rows: n, cols: n, gap: options.gap ?? 1 },
    colTicks,
    rowTicks,
    options,
  });
}

export interface InterpolationStripOptions extends TileOptions {
  decode: Decode;
  imageShape: [number, number];
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** Number of codes from a to b inclusive (default 10). */
  steps?: number;
  method?: InterpolationMethod;
}

/**
 * Decodes `interpolate(a, b, steps, method)` and lays the images in one row, labelled with t.
 *
 * @example
 * const decode = (z: Float32Array[]) => toyDecode(z);
 * const [z0, z1] = [new Float32Array([-2, 0]), new Float32Array([2, 1])];
 * const plot = await interpolationStrip({ decode, imageShape: [28, 28], a: z0, b: z1, method: 'slerp' });
 */
export async function interpolationStrip(options: InterpolationStripOptions): Promise<PlotSpec> {
  const fn = 'interpolationStrip';
  const steps = options.steps ?? 10;
  const method = options.method ?? 'linear';
  const z = interpolate(options.a, options.b, steps, method);
  const images = await decodeChecked(fn, options.decode, z, options.imageShape, options);
  const colTicks = z.map((_, i) => ({ index: i, label: (i / (steps - 1)).toFixed(2).replace(/\.?0+$/, '') || '0' }));
  return tilePlot({
    title: options.title ?? `Interpolation (${method})`,
    xLabel:
      options.xLabel ?? (method === 'slerp' ? 't (along the great circle from a to b)' : 't (z = (1 − t)·a + t·b)'),
    yLabel: options.yLabel ?? '',
    images,
    layout: { rows: 1, cols: steps, gap: options.gap ?? 2 },
    colTicks,
    options: { ...options, scale: options.scale ?? Math.max(1, Math.floor(600 / (steps * (images.w + 2)))) },
  });
}
