/**
 * Symmetric eigendecomposition in float64 JavaScript: Householder tridiagonalisation followed by the
 * implicit QL algorithm with Wilkinson-style shifts (EISPACK `tred2` / `tql2`, as in JAMA and Numerical
 * Recipes §11.2–11.3).
 *
 * For a symmetric A ∈ R^{n×n} it returns A = V Λ Vᵀ with V orthogonal. Cost ≈ 9n³ flops; the work array is
 * kept transposed (row j holds column j of V) so every inner loop walks contiguous memory.
 */

/** The result of {@link symmetricEigen}: eigenvalues in descending order and the matching unit eigenvectors. */
export interface SymmetricEigen {
  /** λ_1 ≥ λ_2 ≥ … ≥ λ_n. */
  values: Float64Array;
  /** Row-major [n, n]: row j is the unit eigenvector of `values[j]`. */
  vectors: Float64Array;
}

/**
 * Eigenvalues (descending) and eigenvectors (as rows) of the symmetric n×n matrix `a` (row-major; only
 * its symmetric part matters, it is read as given and not modified).
 *
 * @example
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
 * // values ≈ [3, 1]; vectors row 0 ≈ [1, 1]/√2
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n * n} values, found ${a.length}`);
  // w[c * n + r] stands for V[r][c] of JAMA's code; A is symmetric, so the copy is both A and Aᵀ.
  const w = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: w };
  tred2(w, d, e, n);
  tql2(w, d, e, n);
  const order = Array.from(d.keys()).sort((i, j) => d[j]! - d[i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src]!;
    vectors.set(w.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

/** Householder reduction to tridiagonal form (diagonal `d`, sub-diagonal `e`), accumulating the transforms in `w`. */
function tred2(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1]!;
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      // Householder vector, scaled against under/overflow.
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Similarity transform of the remaining columns.
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j]!;
        w[i * n + j] = f;
        g = e[j]! + w[col + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = w[col + k]!;
          g += v * d[k]!;
          e[k] = e[k]! + v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        const col = j * n;
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) w[col + k] = w[col + k]! - (f * e[k]! + g * d[k]!);
        d[j] = w[col + i - 1]!;
        w[col + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i]!;
    w[i * n + i] = 1;
    const h = d[i + 1]!;
    const c1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[c1 + k]! / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[c1 + k]! * w[cj + k]!;
        for (let k = 0; k <= i; k++) w[cj + k] = w[cj + k]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) w[c1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1]!;
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), rotating the eigenvector rows of `w`. */
function tql2(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error(`symmetricEigen: QL iteration did not converge for eigenvalue ${l}`);
        // Implicit shift.
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        // Implicit QL transformation.
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          // Rotate eigenvector rows i and i + 1.
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const wk1 = w[ri1 + k]!;
            const wk = w[ri + k]!;
            w[ri1 + k] = s * wk + c * wk1;
            w[ri + k] = c * wk - s * wk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
