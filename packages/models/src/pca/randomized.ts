import { createRng, type Rng } from '@latentlab/core';
import {
  getBackend,
  matMul,
  sub,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tensor1d,
  tensor2d,
  tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import { symmetricEigen } from './eigen.js';
import { nonZeros, type PcaKernel, type RowSource } from './matrix.js';

/** Up to this many values (256 MB of float32) the centred chunks stay on the backend between passes. */
export const RESIDENT_VALUES = 2 ** 26;

/** Options of {@link randomizedEigen}. */
export interface RandomizedOptions {
  /** Extra test vectors p beyond the k wanted: the subspace has l = min(k + p, d) columns. */
  oversamples: number;
  /** Power (subspace) iterations q: q + 1 passes over the data, each one multiplication by C. */
  powerIterations: number;
  /** Seed of the Gaussian test matrix. */
  seed: number;
  chunkRows: number;
  /** `'auto'`: JavaScript on the cpu backend, backend `matMul`s elsewhere. */
  kernel: PcaKernel;
  /** Keep the centred chunks on the backend between passes up to this many values (default {@link RESIDENT_VALUES}). */
  residentValues?: number;
}

/**
 * Top-k eigenpairs of the covariance C = Xcᵀ Xc / (n − 1) of the centred data by randomized subspace
 * iteration (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1, on the d-side):
 *
 *     Q₀ = orth(Ω), Ω ∈ R^{d×l} Gaussian;   Q_{i+1} = orth(C Qᵢ), i < q;   Z = C Q_q = Q H;
 *     H Hᵀ = U diag(s²) Uᵀ  ⇒  eigenvectors ≈ Q U, eigenvalues ≈ s (the singular values of Z).
 *
 * C is never formed: each product C Q is Xcᵀ (Xc Q) over chunks of rows, two backend matMuls per chunk
 * (float64 JavaScript on the cpu backend); when the data hold at most {@link RESIDENT_VALUES} values the
 * centred chunks are uploaded once and kept for all passes. The small d×l orthonormalisations run in float64
 * JavaScript by modified Gram–Schmidt done twice ("twice is enough"), far cheaper here than `tf.linalg.qr`.
 */
export async function randomizedEigen(
  source: RowSource,
  mean: Float64Array,
  k: number,
  { oversamples, powerIterations, seed, chunkRows, kernel, residentValues = RESIDENT_VALUES }: RandomizedOptions,
): Promise<{ values: Float64Array; vectors: Float64Array }> {
  const js = kernel === 'javascript' || (kernel === 'auto' && getBackend() === 'cpu');
  const chunks = js ? null : new CentredChunks(source, mean, chunkRows, source.n * source.d <= residentValues);
  try {
    return await iterate(source, mean, k, { oversamples, powerIterations, seed, chunkRows, kernel }, chunks);
  } finally {
    chunks?.dispose();
  }
}

async function iterate(
  source: RowSource,
  mean: Float64Array,
  k: number,
  { oversamples, powerIterations, seed, chunkRows }: RandomizedOptions,
  chunks: CentredChunks | null,
): Promise<{ values: Float64Array; vectors: Float64Array }> {
  const { d } = source;
  const l = Math.min(k + oversamples, d);
  const rng = createRng(seed); // core's seeded generator: Ω is the same on every backend and run
  let q: Float64Array = Float64Array.from(rng.normalArray(l * d)); // rows are the l test vectors
  orthonormalizeRows(q, l, d, rng);
  let z: Float64Array = await applyCovariance(source, mean, q, l, chunkRows, chunks);
  for (let it = 0; it < powerIterations; it++) {
    q = z;
    orthonormalizeRows(q, l, d, rng);
    z = await applyCovariance(source, mean, q, l, chunkRows, chunks);
  }
  // Z = Q H with Q = orth(Z); the left singular vectors of Z are Q U where H Hᵀ = U S² Uᵀ.
  const basis = Float64Array.from(z);
  orthonormalizeRows(basis, l, d, rng);
  const hht = new Float64Array(l * l);
  const h = new Float64Array(l * l); // h[i][j] = q_i · z_j
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) h[i * l + j] = dot(basis, i * d, z, j * d, d);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) hht[i * l + j] = dot(h, i * l, h, j * l, l);
  const eig = symmetricEigen(hht, l);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    values[j] = Math.sqrt(Math.max(0, eig.values[j]!));
    for (let m = 0; m < l; m++) {
      const u = eig.vectors[j * l + m]!;
      for (let c = 0; c < d; c++) vectors[j * d + c] = vectors[j * d + c]! + u * basis[m * d + c]!;
    }
  }
  return { values, vectors };
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

/**
 * Orthonormalises the l rows of `q` (row-major [l, d]) in place by modified Gram–Schmidt, applied twice.
 * A row that vanishes (the data have rank < l) is replaced by a fresh random direction drawn from `rng`.
 */
export function orthonormalizeRows(q: Float64Array, l: number, d: number, rng: Rng): void {
  for (let j = 0; j < l; j++) {
    const oj = j * d;
    for (let attempt = 0; ; attempt++) {
      const before = Math.sqrt(dot(q, oj, q, oj, d));
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          const r = dot(q, i * d, q, oj, d);
          for (let c = 0; c < d; c++) q[oj + c] = q[oj + c]! - r * q[i * d + c]!;
        }
      }
      const norm = Math.sqrt(dot(q, oj, q, oj, d));
      if (norm > 1e-10 * before && norm > 0) {
        for (let c = 0; c < d; c++) q[oj + c] = q[oj + c]! / norm;
        break;
      }
      if (attempt > 10) throw new Error(`orthonormalizeRows: cannot complete a basis of ${l} rows in R^${d}`);
      q.set(rng.normalArray(d), oj);
    }
  }
}

/** The centred chunks Xc_b = X_b − 1mᵀ as backend tensors, kept between passes when small enough. */
class CentredChunks {
  private readonly kept: Tensor2D[] = [];
  private readonly meanT: Tensor1D;

  constructor(
    private readonly source: RowSource,
    mean: Float64Array,
    private readonly chunkRows: number,
    private readonly resident: boolean,
  ) {
    this.meanT = tensor1d(Float32Array.from(mean));
  }

  get count(): number {
    return Math.ceil(this.source.n / this.chunkRows);
  }

  /** Chunk b, centred ([rows, d]); the caller disposes it only when `owned`. */
  get(b: number): { xc: Tensor2D; owned: boolean } {
    const cached = this.kept[b];
    if (cached) return { xc: cached, owned: false };
    const start = b * this.chunkRows;
    const end = Math.min(this.source.n, start + this.chunkRows);
    const xc = tidy(() => sub(this.source.tensor(start, end), this.meanT) as Tensor2D);
    if (this.resident) this.kept[b] = xc;
    return { xc, owned: !this.resident };
  }

  dispose(): void {
    for (const t of this.kept) t.dispose();
    this.kept.length = 0;
    this.meanT.dispose();
  }
}

/** Z = Cq for the l rows of q, returned as rows ([l, d]): Σ over chunks of Xcᵀ (Xc qᵀ), divided by n − 1. */
async function applyCovariance(
  source: RowSource,
  mean: Float64Array,
  q: Float64Array,
  l: number,
  chunkRows: number,
  chunks: CentredChunks | null,
): Promise<Float64Array> {
  const { n, d } = source;
  const z = new Float64Array(l * d);
  if (!chunks) {
    const qt = new Float64Array(d * l); // [d, l]
    for (let j = 0; j < l; j++) for (let c = 0; c < d; c++) qt[c * l + j] = q[j * d + c]!;
    const qMean = new Float64Array(l);
    for (let j = 0; j < l; j++) qMean[j] = dot(q, j * d, mean, 0, d);
    const zt = new Float64Array(d * l);
    const pSum = new Float64Array(l);
    for (let start = 0; start < n; start += chunkRows) {
      const end = Math.min(n, start + chunkRows);
      applyCovarianceJs(await source.rows(start, end), end - start, d, qMean, qt, l, zt, pSum);
    }
    for (let j = 0; j < l; j++) for (let c = 0; c < d; c++) z[j * d + c] = zt[c * l + j]! - pSum[j]! * mean[c]!;
  } else {
    const qT = tidy(() => transpose(tensor2d(Float32Array.from(q), [l, d]))); // [d, l]
    try {
      for (let b = 0; b < chunks.count; b++) {
        const { xc, owned } = chunks.get(b);
        let zb: Tensor | undefined;
        try {
          // [l, d] = Pᵀ Xc with P = Xc Q ([rows, l]); both products on the non-transposed matMul path.
          zb = tidy(() => matMul(transpose(matMul(xc, qT)), xc));
          const v = (await zb.data()) as Float32Array;
          for (let i = 0; i < v.length; i++) z[i] = z[i]! + v[i]!;
        } finally {
          if (owned) xc.dispose();
          zb?.dispose();
        }
      }
    } finally {
      qT.dispose();
    }
  }
  for (let i = 0; i < z.length; i++) z[i] = z[i]! / (n - 1);
  return z;
}

/**
 * Adds Σ_r x_r p_rᵀ for the rows of one chunk to `zt`, skipping zero entries. Layouts are
 * feature-major so every inner loop runs over the l contiguous columns: `qt` and `zt` are [d, l]. With
 * p_r = Q(x_r − μ) = Σ_{c: x_rc ≠ 0} x_rc q_c − Qμ, Xcᵀ P = Σ_r x_r p_rᵀ − μ (Σ_r p_r)ᵀ; the μ term is
 * subtracted once by the caller from `pSum`.
 */
function applyCovarianceJs(
  x: Float32Array,
  rows: number,
  d: number,
  qMean: Float64Array,
  qt: Float64Array,
  l: number,
  zt: Float64Array,
  pSum: Float64Array,
): void {
  const p = new Float64Array(l);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const nnz = nonZeros(x, r, d, idx, val);
    for (let j = 0; j < l; j++) p[j] = -qMean[j]!;
    for (let a = 0; a < nnz; a++) {
      const v = val[a]!;
      const o = idx[a]! * l;
      for (let j = 0; j < l; j++) p[j] = p[j]! + v * qt[o + j]!;
    }
    for (let j = 0; j < l; j++) pSum[j] = pSum[j]! + p[j]!;
    for (let a = 0; a < nnz; a++) {
      const v = val[a]!;
      const o = idx[a]! * l;
      for (let j = 0; j < l; j++) zt[o + j] = zt[o + j]! + v * p[j]!;
    }
  }
}
