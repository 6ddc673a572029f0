import { type LatentCodes, readCodes } from './codes.js';
import { VizEmptyError } from './errors.js';

/** Principal components of a set of codes, largest variance first. */
export interface Pca {
  /** Mean code μ, `[dim]`. */
  mean: Float64Array;
  /** Unit principal directions e_k, `dim` arrays of `[dim]`; sign fixed so the largest |entry| is positive. */
  components: Float64Array[];
  /** Variance along each direction λ_k (eigenvalues of the sample covariance, n − 1 denominator). */
  variances: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, §8.5): repeatedly zero the
 * off-diagonal entry a_pq with a rotation of angle θ, tan 2θ = 2a_pq / (a_qq − a_pp), until Σ a_pq² < 1e-24·‖A‖².
 */
function jacobiEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let norm = 0;
  for (let k = 0; k < d * d; k++) norm += a[k]! * a[k]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off <= 1e-24 * norm || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors: v };
}

/**
 * PCA of codes in plain float64 JS: μ = (1/n) Σ zᵢ, Σ = 1/(n−1) Σ (zᵢ − μ)(zᵢ − μ)ᵀ, then Σ = E Λ Eᵀ by Jacobi
 * rotations, components sorted by λ descending. Needs n ≥ 2.
 *
 * @example
 * const { components, variances } = pca([[0, 0], [2, 1], [4, 2]]);
 * // components[0] ≈ [0.894, 0.447] (the direction (2, 1)/√5), variances ≈ [5, 0]
 */
export function pca(codes: LatentCodes, dim?: number): Pca {
  const { n, dim: d, data } = readCodes('pca', codes, dim);
  if (n < 2) throw new VizEmptyError('pca', 'too few codes for a covariance', 'at least 2 codes', `${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + data[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) for (let k = j; k < d; k++) cov[j * d + k] = cov[j * d + k]! + row[j]! * row[k]!;
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      cov[j * d + k] = cov[j * d + k]! / (n - 1);
      cov[k * d + j] = cov[j * d + k]!;
    }
  }
  const { values, vectors } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const components = order.map((k) => {
    const e = new Float64Array(d);
    let big = 0;
    for (let j = 0; j < d; j++) {
      e[j] = vectors[j * d + k]!;
      if (Math.abs(e[j]!) > Math.abs(big)) big = e[j]!;
    }
    if (big < 0) for (let j = 0; j < d; j++) e[j] = -e[j]!;
    return e;
  });
  const variances = Float64Array.from(order, (k) => Math.max(0, values[k]!));
  return { mean, components, variances };
}
