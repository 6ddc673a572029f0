import { getBackend, matMul, sub, type Tensor, tensor1d, tensor2d, tidy, transpose } from '@tensorflow/tfjs-core';
import { symmetricEigen } from './eigen.js';
import type { RowSource } from './matrix.js';

/** Options of {@link randomizedEigen}. */
export interface RandomizedOptions {
  /** Extra test vectors p beyond the k wanted: the subspace has l = min(k + p, d) columns. */
  oversamples: number;
  /** Power (subspace) iterations q: q + 1 passes over the data, each one multiplication by C. */
  powerIterations: number;
  /** Seed of the Gaussian test matrix. */
  seed: number;
  chunkRows: number;
}

/**
 * Top-k eigenpairs of the covariance C = Xcᵀ Xc / (n − 1) of the centred data by randomized subspace
 * iteration (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1, on the d-side):
 *
 *     Q₀ = orth(Ω), Ω ∈ R^{d×l} Gaussian;   Q_{i+1} = orth(C Qᵢ), i < q;   Z = C Q_q = Q H;
 *     H Hᵀ = U diag(s²) Uᵀ  ⇒  eigenvectors ≈ Q U, eigenvalues ≈ s (the singular values of Z).
 *
 * C is never formed: each product C Q is Xcᵀ (Xc Q) over chunks of rows, two backend matMuls per chunk
 * (float64 JavaScript on the cpu backend). The small d×l orthonormalisations run in float64 JavaScript by
 * modified Gram–Schmidt done twice ("twice is enough"), far cheaper here than `tf.linalg.qr`.
 */
export async function randomizedEigen(
  source: RowSource,
  mean: Float64Array,
  k: number,
  { oversamples, powerIterations, seed, chunkRows }: RandomizedOptions,
): Promise<{ values: Float64Array; vectors: Float64Array }> {
  const { d } = source;
  const l = Math.min(k + oversamples, d);
  const random = gaussian(seed);
  let q: Float64Array = new Float64Array(l * d).map(random); // rows are the l test vectors
  orthonormalizeRows(q, l, d, random);
  let z: Float64Array = await applyCovariance(source, mean, q, l, chunkRows);
  for (let it = 0; it < powerIterations; it++) {
    q = z;
    orthonormalizeRows(q, l, d, random);
    z = await applyCovariance(source, mean, q, l, chunkRows);
  }
  // Z = Q H with Q = orth(Z); the left singular vectors of Z are Q U where H Hᵀ = U S² Uᵀ.
  const basis = Float64Array.from(z);
  orthonormalizeRows(basis, l, d, random);
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
 * A row that vanishes (the data have rank < l) is replaced by a fresh random direction.
 */
export function orthonormalizeRows(q: Float64Array, l: number, d: number, random: () => number): void {
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
      for (let c = 0; c < d; c++) q[oj + c] = random();
    }
  }
}

/** Z = Cq for the l rows of q, returned as rows ([l, d]): Σ over chunks of Xcᵀ (Xc qᵀ), divided by n − 1. */
async function applyCovariance(
  source: RowSource,
  mean: Float64Array,
  q: Float64Array,
  l: number,
  chunkRows: number,
): Promise<Float64Array> {
  const { n, d } = source;
  const z = new Float64Array(l * d);
  if (getBackend() === 'cpu') {
    for (let start = 0; start < n; start += chunkRows) {
      const end = Math.min(n, start + chunkRows);
      applyCovarianceJs(source.rows(start, end), end - start, d, mean, q, l, z);
    }
  } else {
    const [qT, meanT] = tidy(() => [
      transpose(tensor2d(Float32Array.from(q), [l, d])),
      tensor1d(Float32Array.from(mean)),
    ]);
    try {
      for (let start = 0; start < n; start += chunkRows) {
        const end = Math.min(n, start + chunkRows);
        const x = source.tensor(start, end);
        let zb: Tensor | undefined;
        try {
          zb = tidy(() => {
            const xc = sub(x, meanT!); // [rows, d]
            const p = matMul(xc, qT!); // [rows, l]
            return matMul(transpose(p), xc); // [l, d]
          });
          const v = (await zb.data()) as Float32Array;
          for (let i = 0; i < v.length; i++) z[i] = z[i]! + v[i]!;
        } finally {
          x.dispose();
          zb?.dispose();
        }
      }
    } finally {
      qT!.dispose();
      meanT!.dispose();
    }
  }
  for (let i = 0; i < z.length; i++) z[i] = z[i]! / (n - 1);
  return z;
}

/**
 * Adds Σ_r (x_r − μ)(x_r − μ)ᵀ q_jᵀ to row j of z for the rows of one chunk, skipping zero entries:
 * with p_r = Q(x_r − μ), Xcᵀ P = Σ_r x_r p_rᵀ − μ (Σ_r p_r)ᵀ.
 */
function applyCovarianceJs(
  x: Float32Array,
  rows: number,
  d: number,
  mean: Float64Array,
  q: Float64Array,
  l: number,
  z: Float64Array,
): void {
  const qMean = new Float64Array(l);
  for (let j = 0; j < l; j++) qMean[j] = dot(q, j * d, mean, 0, d);
  const pSum = new Float64Array(l);
  const p = new Float64Array(l);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const off = r * d;
    let nnz = 0;
    for (let c = 0; c < d; c++) {
      const v = x[off + c]!;
      if (v !== 0) {
        idx[nnz] = c;
        val[nnz++] = v;
      }
    }
    for (let j = 0; j < l; j++) {
      const oj = j * d;
      let s = 0;
      for (let a = 0; a < nnz; a++) s += q[oj + idx[a]!]! * val[a]!;
      p[j] = s - qMean[j]!;
      pSum[j] = pSum[j]! + p[j]!;
    }
    for (let j = 0; j < l; j++) {
      const oj = j * d;
      const pj = p[j]!;
      for (let a = 0; a < nnz; a++) z[oj + idx[a]!] = z[oj + idx[a]!]! + pj * val[a]!;
    }
  }
  for (let j = 0; j < l; j++) {
    const oj = j * d;
    for (let c = 0; c < d; c++) z[oj + c] = z[oj + c]! - pSum[j]! * mean[c]!;
  }
}

/** Standard normal draws from a seeded mulberry32 generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
