import { ValueError } from '@latentlab/core';
import { getBackend, matMul, mean, slice, square, sub, sum, type Tensor, tidy, transpose } from '@tensorflow/tfjs-core';
import { density, nonZeros, type PcaKernel, type RowSource } from './matrix.js';

/**
 * Below this fraction of non-zeros the float64 JavaScript scatter (≈ nnz²/2 multiply-adds per row) beats a wasm
 * `matMul` (d² per row at ~10× the speed); on MNIST (19 % non-zeros) it is the faster of the two
 * (BENCHMARKS.md, rows 'exact, wasm' and 'kernel backend').
 */
export const SPARSE_DENSITY = 0.3;

/**
 * First and second moments of a data matrix, accumulated chunk by chunk in float64 with the pairwise
 * update of Chan, Golub & LeVeque (1979): for two parts a, b with counts nₐ, n_b, means mₐ, m_b and
 * centred scatter matrices Mₐ, M_b,
 *
 *     δ = m_b − mₐ,   m = mₐ + δ·n_b/n,   M = Mₐ + M_b + δδᵀ·nₐn_b/n,   n = nₐ + n_b.
 *
 * Each chunk is centred by its own mean before its scatter is formed, so no large uncentred sums cancel.
 * With `full` the whole d×d scatter is kept (the exact PCA solver), otherwise only its diagonal (the total
 * variance, for the randomized solver).
 */
export class Moments {
  n = 0;
  readonly mean: Float64Array;
  /** Centred scatter Σ(x − m)(x − m)ᵀ: row-major d×d (upper triangle kept until {@link symmetric}) or its diagonal. */
  readonly m2: Float64Array;

  constructor(
    readonly d: number,
    readonly full: boolean,
  ) {
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(full ? d * d : d);
  }

  /** Merges the statistics of one chunk (its count, mean and centred scatter, same layout as `m2`). */
  merge(nB: number, meanB: Float64Array, m2B: Float64Array): void {
    if (nB === 0) return;
    const { d, mean, m2 } = this;
    const n = this.n + nB;
    const w = (this.n * nB) / n;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) delta[i] = meanB[i]! - mean[i]!;
    if (this.full) {
      for (let i = 0; i < d; i++) {
        const di = delta[i]! * w;
        const row = i * d;
        for (let j = i; j < d; j++) m2[row + j] = m2[row + j]! + m2B[row + j]! + di * delta[j]!;
      }
    } else {
      for (let i = 0; i < d; i++) m2[i] = m2[i]! + m2B[i]! + w * delta[i]! * delta[i]!;
    }
    for (let i = 0; i < d; i++) mean[i] = mean[i]! + (delta[i]! * nB) / n;
    this.n = n;
  }

  /** The full symmetric scatter (mirrors the upper triangle). */
  symmetric(): Float64Array {
    const { d, m2 } = this;
    const out = Float64Array.from(m2);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[j * d + i] = out[i * d + j]!;
    return out;
  }

  /** Trace of the scatter: Σ_j Σ_i (x_ij − m_j)². */
  trace(): number {
    let t = 0;
    for (let i = 0; i < this.d; i++) t += this.full ? this.m2[i * this.d + i]! : this.m2[i]!;
    return t;
  }
}

/**
 * Adds rows [start, end) of `source` to `acc`, either as a backend `matMul` of the centred chunk (Xcᵀ Xc, split
 * in two blocks so only the upper triangle is computed), read back and merged in float64, or in float64
 * JavaScript skipping zero entries. `'auto'` takes JavaScript on the `cpu` backend (tfjs-cpu's float32
 * `matMul` is slower), for the diagonal-only pass over in-memory rows, and on other CPU backends (wasm) for
 * in-memory chunks with fewer than {@link SPARSE_DENSITY} non-zeros; webgl always multiplies on the GPU.
 */
export async function addChunk(
  fn: string,
  acc: Moments,
  source: RowSource,
  start: number,
  end: number,
  kernel: PcaKernel = 'auto',
): Promise<void> {
  const stats = (await useJavaScript(kernel, source, start, end, acc.full))
    ? chunkMomentsJs(await source.rows(start, end), end - start, acc.d, acc.full)
    : await chunkMomentsBackend(source, start, end, acc.full);
  const bad = stats.mean.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new ValueError(
      fn,
      'x contains a non-finite value',
      'finite numbers',
      `NaN or ±Infinity in column ${bad} of rows ${start}–${end - 1}`,
    );
  }
  acc.merge(end - start, stats.mean, stats.m2);
}

async function useJavaScript(
  kernel: PcaKernel,
  source: RowSource,
  start: number,
  end: number,
  full: boolean,
): Promise<boolean> {
  if (kernel !== 'auto') return kernel === 'javascript';
  const backend = getBackend();
  if (backend === 'cpu') return true;
  if (backend === 'webgl' || !source.inMemory) return false;
  return !full || density(await source.rows(start, end)) < SPARSE_DENSITY;
}

interface ChunkStats {
  mean: Float64Array;
  m2: Float64Array;
}

function chunkMomentsJs(x: Float32Array, rows: number, d: number, full: boolean): ChunkStats {
  const m = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const off = r * d;
    for (let j = 0; j < d; j++) m[j] = m[j]! + x[off + j]!;
  }
  for (let j = 0; j < d; j++) m[j] = m[j]! / rows;
  if (!full) {
    const m2 = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const c = x[off + j]! - m[j]!;
        m2[j] = m2[j]! + c * c;
      }
    }
    return { mean: m, m2 };
  }
  // Uncentred upper-triangle scatter S = Σ x xᵀ over the non-zero entries of each row (float32 products are
  // exact in float64), then M = S − rows·m mᵀ.
  const s = new Float64Array(d * d);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const nnz = nonZeros(x, r, d, idx, val);
    for (let a = 0; a < nnz; a++) {
      const va = val[a]!;
      const row = idx[a]! * d;
      let b = a;
      // Unrolled by 4: independent scattered updates pipeline better (~1.5× on MNIST).
      for (; b + 3 < nnz; b += 4) {
        const i0 = row + idx[b]!;
        const i1 = row + idx[b + 1]!;
        const i2 = row + idx[b + 2]!;
        const i3 = row + idx[b + 3]!;
        s[i0] = s[i0]! + va * val[b]!;
        s[i1] = s[i1]! + va * val[b + 1]!;
        s[i2] = s[i2]! + va * val[b + 2]!;
        s[i3] = s[i3]! + va * val[b + 3]!;
      }
      for (; b < nnz; b++) s[row + idx[b]!] = s[row + idx[b]!]! + va * val[b]!;
    }
  }
  for (let i = 0; i < d; i++) {
    const mi = m[i]! * rows;
    for (let j = i; j < d; j++) s[i * d + j] = s[i * d + j]! - mi * m[j]!;
  }
  return { mean: m, m2: s };
}

async function chunkMomentsBackend(source: RowSource, start: number, end: number, full: boolean): Promise<ChunkStats> {
  const rows = end - start;
  const d = source.d;
  const x = source.tensor(start, end); // [rows, d]
  const meanT = mean(x, 0); // [d]
  let outs: Tensor[] = [];
  try {
    outs = tidy(() => {
      const xc = sub(x, meanT); // [rows, d]
      if (!full) return [sum(square(xc), 0)];
      // Upper triangle of Xcᵀ Xc in two blocks: [h, d] and [d − h, d − h]. Transposing explicitly keeps
      // the matMuls on the fast non-transposed path of the wasm backend.
      const h = Math.ceil(d / 2);
      const xt = transpose(xc); // [d, rows]
      const top = matMul(slice(xt, [0, 0], [h, rows]), xc);
      if (h === d) return [top];
      const xtBottom = slice(xt, [h, 0], [d - h, rows]); // [d − h, rows], contiguous rows of xt
      return [top, matMul(xtBottom, transpose(xtBottom))];
    });
    const [meanV, ...blocks] = await Promise.all([meanT.data(), ...outs.map((t) => t.data())]);
    const meanB = Float64Array.from(meanV as Float32Array);
    if (!full) return { mean: meanB, m2: Float64Array.from(blocks[0] as Float32Array) };
    const m2 = new Float64Array(d * d);
    const h = Math.ceil(d / 2);
    const top = blocks[0] as Float32Array;
    for (let i = 0; i < h; i++) for (let j = i; j < d; j++) m2[i * d + j] = top[i * d + j]!;
    const bottom = blocks[1] as Float32Array | undefined;
    if (bottom) {
      const w = d - h;
      for (let i = 0; i < w; i++) for (let j = i; j < w; j++) m2[(h + i) * d + h + j] = bottom[i * w + j]!;
    }
    return { mean: meanB, m2 };
  } finally {
    x.dispose();
    meanT.dispose();
    for (const t of outs) t.dispose();
  }
}
