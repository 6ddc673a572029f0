import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { noisyLinearSubspace } from './linear-subspace.js';

/** Eigenvalues of a symmetric matrix (float64, row-major D×D) by cyclic Jacobi rotations, descending. */
function symmetricEigenvalues(a: Float64Array, D: number): number[] {
  const m = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < D; p++) for (let q = p + 1; q < D; q++) off += m[p * D + q]! ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < D; p++) {
      for (let q = p + 1; q < D; q++) {
        const apq = m[p * D + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * D + q]! - m[p * D + p]!) / (2 * apq);
        const tt = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(tt * tt + 1);
        const s = tt * c;
        for (let k = 0; k < D; k++) {
          const akp = m[k * D + p]!;
          const akq = m[k * D + q]!;
          m[k * D + p] = c * akp - s * akq;
          m[k * D + q] = s * akp + c * akq;
        }
        for (let k = 0; k < D; k++) {
          const apk = m[p * D + k]!;
          const aqk = m[q * D + k]!;
          m[p * D + k] = c * apk - s * aqk;
          m[q * D + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: D }, (_, i) => m[i * D + i]!).sort((x, y) => y - x);
}

describe('noisyLinearSubspace', () => {
  const n = 6000;
  const D = 10;
  const k = 3;
  const sigma = 0.2;
  const offset = [1, -2, 3, 0, 0, 0, 0, 0, 0, 5];
  const { dataset, basis, scales } = noisyLinearSubspace({ n, dim: D, rank: k, noise: sigma, offset, seed: 7 });

  it('returns an orthonormal basis and the default scales k, …, 1', () => {
    expect(Array.from(scales)).toEqual([3, 2, 1]);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let c = 0; c < D; c++) dot += basis[i * D + c]! * basis[j * D + c]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('has mean = offset and covariance eigenvalues s_j² + σ² (k of them) then σ²', () => {
    const mean = new Float64Array(D);
    for (let i = 0; i < n; i++) for (let c = 0; c < D; c++) mean[c]! += dataset.x[i * D + c]! / n;
    // Standard error of a coordinate's mean ≤ √(9 + σ²)/√n ≈ 0.04.
    mean.forEach((m, c) => {
      expect(Math.abs(m - offset[c]!)).toBeLessThan(0.2);
    });
    const cov = new Float64Array(D * D);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < D; a++) {
        const xa = dataset.x[i * D + a]! - mean[a]!;
        for (let b = 0; b < D; b++) cov[a * D + b]! += (xa * (dataset.x[i * D + b]! - mean[b]!)) / (n - 1);
      }
    }
    const ev = symmetricEigenvalues(cov, D);
    for (let j = 0; j < k; j++) {
      const expected = scales[j]! ** 2 + sigma ** 2;
      expect(Math.abs(ev[j]! - expected) / expected).toBeLessThan(0.1); // rel. sd of a variance ≈ √(2/n) ≈ 2 %
    }
    // Noise eigenvalues spread over σ²(1 ± √(D/n))² (Marchenko–Pastur) ≈ σ² (1 ± 8 %).
    for (let j = k; j < D; j++) expect(Math.abs(ev[j]! - sigma ** 2) / sigma ** 2).toBeLessThan(0.2);
    // The residual outside span(basis) has mean squared norm (D − k) σ².
    let residual = 0;
    const r = new Float64Array(D);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < D; c++) r[c] = dataset.x[i * D + c]! - offset[c]!;
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let c = 0; c < D; c++) dot += r[c]! * basis[j * D + c]!;
        for (let c = 0; c < D; c++) r[c]! -= dot * basis[j * D + c]!;
      }
      for (let c = 0; c < D; c++) residual += r[c]! ** 2 / n;
    }
    expect(Math.abs(residual - (D - k) * sigma ** 2) / ((D - k) * sigma ** 2)).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = noisyLinearSubspace({ n: 20, dim: 4, rank: 2, seed: 1 });
    const b = noisyLinearSubspace({ n: 20, dim: 4, rank: 2, seed: 1 });
    const c = noisyLinearSubspace({ n: 20, dim: 4, rank: 2, seed: 2 });
    expect(b.dataset.x).toEqual(a.dataset.x);
    expect(b.basis).toEqual(a.basis);
    expect(c.dataset.x).not.toEqual(a.dataset.x);
    expect(c.basis).not.toEqual(a.basis);
  });

  it('rejects rank > dim, bad scales and offsets', () => {
    expect(() => noisyLinearSubspace({ n: 5, dim: 3, rank: 4 })).toThrow(DatasetError);
    expect(() => noisyLinearSubspace({ n: 5, dim: 3, rank: 2, scales: [1, 0] })).toThrow(/noisyLinearSubspace.*scales/);
    expect(() => noisyLinearSubspace({ n: 5, dim: 3, rank: 2, offset: [1] })).toThrow(/offset/);
    expect(() => noisyLinearSubspace({ n: 5, dim: 3, rank: 2, noise: Number.NaN })).toThrow(/noise/);
  });
});
