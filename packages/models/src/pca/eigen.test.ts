import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './eigen.js';

/** Seeded uniform numbers in [−0.5, 0.5) (an LCG, independent of the library's generator). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomSymmetric(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = r();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |A v_j − λ_j v_j| and max |VᵀV − I|: together they pin down an eigendecomposition. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array, m = n) {
  let eig = 0;
  let orth = 0;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[j * n + k]!;
      eig = Math.max(eig, Math.abs(av - values[j]! * vectors[j * n + i]!));
    }
    for (let i = 0; i < m; i++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += vectors[j * n + k]! * vectors[i * n + k]!;
      orth = Math.max(orth, Math.abs(dot - (j === i ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('symmetricEigen', () => {
  it('runs its doc example: [[2, 1], [1, 2]] has eigenvalues 3 and 1, eigenvector (1, 1)/√2 for 3', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]! * vectors[1]!).toBeGreaterThan(0);
  });

  it('matches the closed form of a 2×2 matrix: λ = (a + c)/2 ± √(((a − c)/2)² + b²)', () => {
    const [a, b, c] = [3.7, -1.3, 0.4];
    const { values } = symmetricEigen(Float64Array.of(a, b, b, c), 2);
    const r = Math.sqrt(((a - c) / 2) ** 2 + b ** 2);
    expect(values[0]).toBeCloseTo((a + c) / 2 + r, 13);
    expect(values[1]).toBeCloseTo((a + c) / 2 - r, 13);
  });

  it('finds the eigenvalues 2 − √2, 2, 2 + √2 of the 3×3 second-difference matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, -1, 0, -1, 2, -1, 0, -1, 2), 3);
    const expected = [2 + Math.SQRT2, 2, 2 - Math.SQRT2];
    expected.forEach((e, j) => {
      expect(values[j]).toBeCloseTo(e, 13);
    });
    // The middle eigenvector is (1, 0, −1)/√2.
    expect(Math.abs(vectors[3]!)).toBeCloseTo(Math.SQRT1_2, 13);
    expect(vectors[4]).toBeCloseTo(0, 13);
  });

  it('decomposes random symmetric matrices: A v = λ v, V orthogonal, eigenvalues descending, trace kept', () => {
    for (const n of [1, 5, 40, 120]) {
      const a = randomSymmetric(n, n);
      const { values, vectors } = symmetricEigen(a, n);
      const { eig, orth } = residuals(a, n, values, vectors);
      expect(eig).toBeLessThan(1e-12 * n);
      expect(orth).toBeLessThan(1e-12 * n);
      for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i]!;
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    }
  });

  it('handles repeated eigenvalues and zero blocks (identity, rank-1, zero matrix)', () => {
    const n = 6;
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    const u = Float64Array.from({ length: n }, (_, i) => i + 1);
    const rank1 = new Float64Array(n * n).map((_, idx) => u[Math.floor(idx / n)]! * u[idx % n]!);
    const norm2 = u.reduce((s, v) => s + v * v, 0);
    for (const [a, top] of [
      [identity, 1],
      [rank1, norm2],
      [new Float64Array(n * n), 0],
    ] as const) {
      const { values, vectors } = symmetricEigen(a, n);
      const { eig, orth } = residuals(a, n, values, vectors);
      expect(eig).toBeLessThan(1e-12 * Math.max(1, top));
      expect(orth).toBeLessThan(1e-12);
      expect(values[0]).toBeCloseTo(top, 10);
    }
  });

  it('computes only the leading eigenvectors by inverse iteration, matching the full decomposition', () => {
    for (const [n, m] of [
      [60, 7],
      [150, 40],
      [9, 4],
    ] as const) {
      const a = randomSymmetric(n, 100 + n);
      const full = symmetricEigen(a, n);
      const part = symmetricEigen(a, n, (values) => (values.length === n ? m : -1));
      expect(part.vectors.length).toBe(m * n);
      full.values.forEach((v, j) => {
        expect(part.values[j]).toBeCloseTo(v, 12);
      });
      const { eig, orth } = residuals(a, n, part.values, part.vectors, m);
      expect(eig).toBeLessThan(1e-12 * n);
      expect(orth).toBeLessThan(1e-12 * n);
    }
  });

  it('keeps eigenvectors of clustered and repeated eigenvalues orthonormal (inverse iteration path)', () => {
    // A = B diag(5, 5, 5, 2, 2, 1e-9, 0, …, 0) Bᵀ with B orthogonal: a triple, a double and a zero block of 34.
    const n = 40;
    const spectrum = Float64Array.from({ length: n }, (_, i) => (i < 3 ? 5 : i < 5 ? 2 : i === 5 ? 1e-9 : 0));
    const basis = symmetricEigen(randomSymmetric(n, 9), n).vectors;
    const a = new Float64Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += basis[k * n + r]! * spectrum[k]! * basis[k * n + c]!;
        a[r * n + c] = s;
      }
    }
    for (const m of [6, 20]) {
      const { values, vectors } = symmetricEigen(a, n, m);
      Array.from(spectrum.slice(0, m)).forEach((v, j) => {
        expect(values[j]).toBeCloseTo(v, 12);
      });
      const { eig, orth } = residuals(a, n, values, vectors, m);
      expect(eig).toBeLessThan(1e-12);
      expect(orth).toBeLessThan(1e-12);
    }
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(RangeError);
  });
});
