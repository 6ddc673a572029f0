/**
 * Data transforms of the explorer (no DOM, no renderer): the chunks streamed by the worker gathered into one
 * array per field, the plotted projection (the first two code dimensions), the fit of the codes into the
 * renderer's [−1, 1]² square (one scale for both axes, so distances are kept) and the mean code of a selection.
 */
export interface ExplorerData {
  n: number;
  latentDim: number;
  /** Full codes [n, latentDim]. */
  z: Float32Array;
  labels: Int32Array;
  loss: Float32Array;
  kl: Float32Array | null;
  /** [n, pixels] grey levels, or null. */
  images: Uint8Array | null;
  pixels: number;
}

/** The plotted coordinates of codes z [n, k]. */
export function project(z: Float32Array, k: number): Float32Array {
  const n = z.length / k;
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = z[i * k]!;
    xy[2 * i + 1] = z[i * k + (k > 1 ? 1 : 0)]!;
  }
  return xy;
}

/** The square fit: u = (x − cx) / half, v = (y − cy) / half maps every code into [−1, 1]² with a 5 % margin. */
export interface SquareFit {
  cx: number;
  cy: number;
  half: number;
}

export function fitSquare(xy: Float32Array): SquareFit {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < xy.length; i += 2) {
    x0 = Math.min(x0, xy[i]!);
    x1 = Math.max(x1, xy[i]!);
    y0 = Math.min(y0, xy[i + 1]!);
    y1 = Math.max(y1, xy[i + 1]!);
  }
  if (!(x1 >= x0)) return { cx: 0, cy: 0, half: 1 };
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.05 || 1;
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, half };
}

/** Mean of the full codes of the selected examples: (1/|S|) Σ_{i∈S} z_i, a [latentDim] vector. */
export function meanCode(z: Float32Array, k: number, selection: readonly number[]): number[] {
  const mean = new Array<number>(k).fill(0);
  for (const i of selection) for (let j = 0; j < k; j++) mean[j]! += z[i * k + j]!;
  return mean.map((s) => s / Math.max(1, selection.length));
}

/**
 * Values mapped to [0, 1] by rank among the finite ones (an empirical CDF), so one huge loss does not wash the
 * colour scale out; non-finite values map to 0.
 */
export function rankScale(values: Float32Array): Float32Array {
  const idx = Array.from({ length: values.length }, (_, i) => i).filter((i) => Number.isFinite(values[i]!));
  idx.sort((a, b) => values[a]! - values[b]!);
  const out = new Float32Array(values.length);
  const m = Math.max(1, idx.length - 1);
  idx.forEach((i, r) => {
    out[i] = r / m;
  });
  return out;
}
