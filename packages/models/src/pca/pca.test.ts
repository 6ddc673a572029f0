import { ShapeError, ValueError } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../errors.js';
import { DEFAULT_PCA_CONFIG, Pca } from './pca.js';

const backend = tf.getBackend();
// WebGL multiplies in float32 with its own summation order: allow a looser match to float64 references there.
const rtol = backend === 'webgl' ? 2e-3 : 2e-4;

/** Seeded standard normals (an LCG + Box–Muller, independent of the library's generator). */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * A noisy low-rank data set: x = m + Σ_j s_j·g_j·b_j + σ·ε with an orthonormal basis b (rows of `basis`),
 * standard normal g and ε. Returned in float32 (what the model sees) and float64.
 */
function lowRank(n: number, d: number, scales: number[], noise: number, seed: number) {
  const g = normals(seed);
  const r = scales.length;
  const basis = new Float64Array(r * d).map(() => g());
  for (let j = 0; j < r; j++) {
    for (let i = 0; i < j; i++) {
      const dot = rowDot(basis, j, basis, i, d);
      for (let c = 0; c < d; c++) basis[j * d + c] = basis[j * d + c]! - dot * basis[i * d + c]!;
    }
    const norm = Math.sqrt(rowDot(basis, j, basis, j, d));
    for (let c = 0; c < d; c++) basis[j * d + c] = basis[j * d + c]! / norm;
  }
  const mean = Float64Array.from({ length: d }, (_, c) => 3 + c / d);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const coef = scales.map((s) => s * g());
    for (let c = 0; c < d; c++) {
      let v = mean[c]! + noise * g();
      for (let j = 0; j < r; j++) v += coef[j]! * basis[j * d + c]!;
      data[i * d + c] = v;
    }
  }
  return { data, shape: [n, d] as [number, number], basis };
}

function rowDot(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += a[i * d + c]! * b[j * d + c]!;
  return s;
}

/** Sample covariance (n − 1) in float64, straight from the definition. */
function covariance(data: Float32Array, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) m[c] = m[c]! + data[i * d + c]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = data[i * d + a]! - m[a]!;
      for (let b = 0; b < d; b++) cov[a * d + b] = cov[a * d + b]! + (xa * (data[i * d + b]! - m[b]!)) / (n - 1);
    }
  }
  return cov;
}

/** Top-k eigenvalues by power iteration with deflation (an independent reference for the solvers). */
function powerEigenvalues(cov: Float64Array, d: number, k: number): number[] {
  const a = Float64Array.from(cov);
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    let v = Float64Array.from({ length: d }, (_, i) => 1 + i * 0.37);
    let lambda = 0;
    for (let it = 0; it < 5000; it++) {
      const w = new Float64Array(d);
      for (let r = 0; r < d; r++) w[r] = rowDot(a, r, v, 0, d);
      const norm = Math.sqrt(rowDot(w, 0, w, 0, d));
      const next = rowDot(v, 0, w, 0, d);
      v = w.map((x) => x / norm);
      if (Math.abs(next - lambda) < 1e-15 * Math.abs(next)) break;
      lambda = next;
    }
    out.push(lambda);
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) a[r * d + c] = a[r * d + c]! - lambda * v[r]! * v[c]!;
  }
  return out;
}

function trace(cov: Float64Array, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += cov[i * d + i]!;
  return t;
}

function expectRelClose(actual: number, expected: number, tol = rtol) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

/** max |W Wᵀ − I| for the rows of a [k, d] tensor. */
function orthonormalityError(w: tf.Tensor2D): number {
  const [k, d] = w.shape;
  const v = w.dataSync();
  let worst = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(rowDot(v, i, v, j, d) - (i === j ? 1 : 0)));
  return worst;
}

/** Largest sin of the principal angles between two row spaces: max_i ‖a_i − Bᵀ B a_i‖ (B orthonormal rows). */
function maxSinAngle(a: tf.Tensor2D, b: tf.Tensor2D): number {
  const [k, d] = a.shape;
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < k; i++) {
    const r = Float64Array.from(av.subarray(i * d, i * d + d));
    for (let j = 0; j < b.shape[0]; j++) {
      const p = rowDot(av, i, bv, j, d);
      for (let c = 0; c < d; c++) r[c] = r[c]! - p * bv[j * d + c]!;
    }
    worst = Math.max(worst, Math.sqrt(rowDot(r, 0, r, 0, d)));
  }
  return worst;
}

describe(`Pca on ${backend}`, () => {
  const n = 600;
  const d = 16;
  const scales = [6, 4, 2.5, 1.5];
  const x = lowRank(n, d, scales, 0.2, 7);
  const cov = covariance(x.data, n, d);
  const reference = powerEigenvalues(cov, d, 6);

  it('runs its doc example', async () => {
    const pca = new Pca({ nComponents: 2 });
    await pca.fit(x);
    const z = pca.encode(x);
    const xHat = pca.decode(z);
    expect(z.shape).toEqual([n, 2]);
    expect(xHat.shape).toEqual([n, d]);
    expect(pca.explainedVarianceRatio).toHaveLength(2);
    tf.dispose([z, xHat]);
    pca.dispose();
  });

  it('has orthonormal components and explained variances equal to the covariance eigenvalues (power iteration)', async () => {
    for (const solver of ['exact', 'randomized'] as const) {
      const pca = await new Pca({ nComponents: 6, solver }).fit(x);
      expect(pca.solver).toBe(solver);
      expect(pca.components.shape).toEqual([6, d]);
      expect(orthonormalityError(pca.components)).toBeLessThan(1e-5);
      const ev = pca.explainedVariance;
      reference.forEach((lambda, j) => {
        expectRelClose(ev[j]!, lambda, j < 4 ? rtol : 20 * rtol);
      });
      expectRelClose(pca.totalVariance, trace(cov, d));
      const ratio = pca.explainedVarianceRatio;
      ratio.forEach((r, j) => {
        expectRelClose(r, reference[j]! / trace(cov, d), j < 4 ? rtol : 20 * rtol);
      });
      // The top components span the planted basis (noise 0.2 against scales ≥ 1.5).
      const planted = tf.tensor2d(Float32Array.from(x.basis), [scales.length, d]);
      const top = tf.slice(pca.components, [0, 0], [scales.length, d]);
      expect(maxSinAngle(planted, top)).toBeLessThan(0.05);
      tf.dispose([planted, top]);
      pca.dispose();
    }
  });

  it('matches the closed-form eigenvalues of a 2-D data set', async () => {
    const g = normals(3);
    const m = 300;
    const data = new Float32Array(m * 2);
    for (let i = 0; i < m; i++) {
      const u = g();
      data[2 * i] = 1 + 2 * u + 0.3 * g();
      data[2 * i + 1] = -2 + u - 0.5 * g();
    }
    const c = covariance(data, m, 2);
    const [a, b, e] = [c[0]!, c[1]!, c[3]!];
    const r = Math.sqrt(((a - e) / 2) ** 2 + b ** 2);
    const pca = await new Pca().fit({ data, shape: [m, 2] });
    expectRelClose(pca.explainedVariance[0]!, (a + e) / 2 + r);
    expectRelClose(pca.explainedVariance[1]!, (a + e) / 2 - r);
    // First component ∝ (b, λ₁ − a), normalised, sign chosen so the largest loading is positive.
    const w = pca.components.dataSync();
    const norm = Math.hypot(b, r + (e - a) / 2);
    const sign = Math.abs(b) >= Math.abs(r + (e - a) / 2) ? Math.sign(b) : 1;
    expect(w[0]).toBeCloseTo((sign * b) / norm, 3);
    expect(w[1]).toBeCloseTo((sign * (r + (e - a) / 2)) / norm, 3);
    pca.dispose();
  });

  it('reconstructs with mean squared error (n − 1)/n · Σ of the discarded eigenvalues', async () => {
    for (const k of [1, 3, 6]) {
      const pca = await new Pca({ nComponents: k }).fit(x);
      const xHat = pca.reconstruct(x);
      const v = xHat.dataSync();
      let se = 0;
      for (let i = 0; i < v.length; i++) se += (v[i]! - x.data[i]!) ** 2;
      const all = powerEigenvalues(cov, d, d);
      const discarded = all.slice(k).reduce((s, l) => s + l, 0);
      // Float32 reconstruction of values ≈ 3 carries ~1e-7·3 absolute error: compared on the scale of the data.
      expect(Math.abs(se / n - ((n - 1) / n) * discarded)).toBeLessThanOrEqual(rtol * discarded + 1e-4);
      xHat.dispose();
      pca.dispose();
    }
  });

  it('randomized agrees with exact: small principal angles, same variances', async () => {
    const exact = await new Pca({ nComponents: 4, solver: 'exact' }).fit(x);
    const randomized = await new Pca({ nComponents: 4, solver: 'randomized', oversamples: 4, powerIterations: 2 }).fit(
      x,
    );
    expect(maxSinAngle(exact.components, randomized.components)).toBeLessThan(1e-3);
    exact.explainedVariance.forEach((v, j) => {
      expectRelClose(randomized.explainedVariance[j]!, v);
    });
    // Same sign convention: the vectors themselves agree, not just the subspaces.
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(exact.components, randomized.components))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-3);
    exact.dispose();
    randomized.dispose();
  });

  it('partialFit over batches equals fit on the concatenated rows', async () => {
    const batch = await new Pca({ nComponents: 5 }).fit(x);
    const incremental = new Pca({ nComponents: 5 });
    for (const [start, end] of [
      [0, 7],
      [7, 250],
      [250, 251],
      [251, n],
    ] as const) {
      await incremental.partialFit(
        { data: x.data.subarray(start * d, end * d), shape: [end - start, d] },
        { chunkRows: 64 },
      );
    }
    // A rejected batch (NaN in its last rows) and an empty batch leave the running sums unchanged.
    const bad = Float32Array.from(x.data.subarray(0, 200 * d));
    bad[199 * d] = Number.NaN;
    await expect(incremental.partialFit({ data: bad, shape: [200, d] }, { chunkRows: 50 })).rejects.toThrow(ValueError);
    await incremental.partialFit({ data: new Float32Array(0), shape: [0, d] });
    incremental.finalize();
    batch.explainedVariance.forEach((v, j) => {
      expectRelClose(incremental.explainedVariance[j]!, v, 1e-5);
    });
    // Vectors are compared for the 4 planted components; the 5th lies in the nearly degenerate noise
    // spectrum, where float32 rounding may turn it freely.
    const diff = tf.tidy(() => {
      const [a, b] = [batch.components, incremental.components].map((w) => tf.slice(w, [0, 0], [4, d]));
      return tf.max(tf.abs(tf.sub(a!, b!))).dataSync()[0]!;
    });
    expect(diff).toBeLessThan(1e-4);
    const meanDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(batch.mean, incremental.mean))).dataSync()[0]!);
    expect(meanDiff).toBeLessThan(1e-5);
    batch.dispose();
    incremental.dispose();
  });

  it('whitening gives uncorrelated unit-variance codes, and inverts', async () => {
    const pca = await new Pca({ nComponents: 4, whiten: true }).fit(x);
    const z = pca.transform(x);
    const zv = z.dataSync();
    const k = 4;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += zv[i * k + a]! * zv[i * k + b]!;
        expect(s / (n - 1)).toBeCloseTo(a === b ? 1 : 0, 3);
      }
    }
    // Whitened codes decode to the same reconstruction as unwhitened ones.
    const plain = await new Pca({ nComponents: 4 }).fit(x);
    const [r1, r2] = [pca.reconstruct(x), plain.reconstruct(x)];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(r1, r2))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([z, r1, r2]);
    pca.dispose();
    plain.dispose();
  });

  it('inverseTransform(transform(x)) = x with all components (with and without whitening)', async () => {
    for (const whiten of [false, true]) {
      const pca = await new Pca({ whiten }).fit(x);
      expect(pca.nComponents).toBe(d);
      const xHat = pca.reconstruct(x);
      const v = xHat.dataSync();
      let worst = 0;
      for (let i = 0; i < v.length; i++) worst = Math.max(worst, Math.abs(v[i]! - x.data[i]!));
      // Values up to ≈ 20 in float32, through two [16]-term products (and √λ scaling with whitening).
      expect(worst).toBeLessThan(whiten ? 2e-3 : 1e-3);
      xHat.dispose();
      pca.dispose();
    }
  });

  it('varianceFraction keeps the smallest k whose ratios reach the fraction', async () => {
    const total = trace(cov, d);
    const all = powerEigenvalues(cov, d, d);
    for (const fraction of [0.5, 0.8, 0.95, 0.999, 1]) {
      let cum = 0;
      let expected = 0;
      while (cum < fraction * total * (1 - 1e-9) && expected < d) cum += all[expected++]!;
      const pca = await new Pca({ varianceFraction: fraction }).fit(x);
      expect(pca.nComponents, `fraction ${fraction}`).toBe(expected);
      pca.dispose();
    }
  });

  it('accepts a float32 or int32 Tensor2D, a Float32Array and a Uint8Array (read as x / 255) alike', async () => {
    const u8 = Uint8Array.from({ length: 200 * 5 }, (_, i) => (i * 37 + (i % 7) * 11) % 256);
    const f32 = Float32Array.from(u8);
    const t = tf.tensor2d(f32, [200, 5]);
    const int = tf.tensor2d(Int32Array.from(u8), [200, 5], 'int32');
    const fits = [
      await new Pca({ nComponents: 3 }).fit(int, { chunkRows: 64, kernel: 'backend' }),
      await new Pca({ nComponents: 3 }).fit({ data: u8, shape: [200, 5] }),
      await new Pca({ nComponents: 3 }).fit({ data: f32, shape: [200, 5] }),
      await new Pca({ nComponents: 3 }).fit(t, { chunkRows: 33 }),
    ];
    for (const [i, pca] of fits.slice(1).entries()) {
      // Bytes are pixels: the models read them as x / 255, so their variances are the float ones / 255².
      const scale = i === 0 ? 255 ** 2 : 1;
      pca.explainedVariance.forEach((v, j) => {
        expectRelClose(v * scale, fits[0]!.explainedVariance[j]!);
      });
    }
    tf.dispose([t, int]);
    for (const pca of fits) pca.dispose();
  });

  it("solver 'auto' picks exact for few features and randomized for many", async () => {
    const narrow = await new Pca({ nComponents: 3 }).fit(x);
    expect(narrow.solver).toBe('exact');
    const wide = lowRank(40, 2000, [3, 2], 0.01, 5); // noise variance 2000 · 0.01² = 0.2 against 13
    const pca = await new Pca({ nComponents: 2 }).fit(wide);
    expect(pca.solver).toBe('randomized');
    expect(orthonormalityError(pca.components)).toBeLessThan(1e-5);
    const planted = tf.tensor2d(Float32Array.from(wide.basis), [2, 2000]);
    expect(maxSinAngle(planted, pca.components)).toBeLessThan(0.1);
    planted.dispose();
    narrow.dispose();
    pca.dispose();
  });

  it('gives the same fit with the backend and JavaScript kernels, exact and randomized', async () => {
    for (const solver of ['exact', 'randomized'] as const) {
      const fits: Pca[] = [];
      for (const kernel of ['backend', 'javascript', 'auto'] as const) {
        fits.push(await new Pca({ nComponents: 4, solver }).fit(x, { kernel, chunkRows: 100 }));
      }
      for (const pca of fits.slice(1)) {
        pca.explainedVariance.forEach((v, j) => {
          expectRelClose(v, fits[0]!.explainedVariance[j]!);
        });
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(pca.components, fits[0]!.components))).dataSync()[0]!);
        expect(diff).toBeLessThan(1e-3);
      }
      for (const pca of fits) pca.dispose();
    }
  });

  it('fits sparse data (90 % zeros, the JavaScript path of auto on wasm) like dense data', async () => {
    const sparse = Float32Array.from(x.data, (v, i) => (i % 10 === 3 ? v : 0));
    const input = { data: sparse, shape: x.shape };
    const auto = await new Pca({ nComponents: 3 }).fit(input);
    const backendFit = await new Pca({ nComponents: 3 }).fit(input, { kernel: 'backend' });
    const c = covariance(sparse, n, d);
    const ref = powerEigenvalues(c, d, 3);
    ref.forEach((lambda, j) => {
      expectRelClose(auto.explainedVariance[j]!, lambda);
      expectRelClose(backendFit.explainedVariance[j]!, lambda);
    });
    auto.dispose();
    backendFit.dispose();
  });

  it('leaks no tensors: fit, transform, inverseTransform, reconstruct, refit, partialFit, dispose', async () => {
    const t = tf.tensor2d(x.data, x.shape);
    await assertNoLeaks(async () => {
      const pca = new Pca({ nComponents: 3, whiten: true });
      await pca.fit(t);
      const z = pca.transform(t);
      const back = pca.inverseTransform(z);
      const r = pca.reconstruct(x);
      tf.dispose([z, back, r]);
      await pca.fit(x, { chunkRows: 100 }); // refit replaces the old tensors
      await pca.partialFit(t);
      pca.finalize();
      pca.dispose();
      for (const kernel of ['backend', 'javascript'] as const) {
        const randomized = await new Pca({ nComponents: 2, solver: 'randomized' }).fit(t, { chunkRows: 128, kernel });
        randomized.dispose();
        const exact = await new Pca({ nComponents: 2 }).fit(x, { chunkRows: 128, kernel });
        exact.dispose();
      }
    }, 0);
    t.dispose();
  });

  describe('bad input', () => {
    it('rejects nComponents 0, fractional or > min(n, d) with a ValueError', async () => {
      expect(() => new Pca({ nComponents: 0 })).toThrow(ValueError);
      expect(() => new Pca({ nComponents: 2.5 })).toThrow(/nComponents is out of range/);
      await expect(new Pca({ nComponents: d + 1 }).fit(x)).rejects.toThrow(ValueError);
      await expect(
        new Pca({ nComponents: 3, solver: 'randomized' }).fit({ data: new Float32Array(4), shape: [2, 2] }),
      ).rejects.toThrow(/min\(n, d\) = 2/);
    });

    it('rejects varianceFraction outside (0, 1] and conflicting options with a ValueError', async () => {
      for (const f of [0, -0.1, 1.5, Number.NaN]) expect(() => new Pca({ varianceFraction: f })).toThrow(ValueError);
      expect(() => new Pca({ nComponents: 2, varianceFraction: 0.5 })).toThrow(ValueError);
      expect(() => new Pca({ solver: 'randomized', varianceFraction: 0.5 })).toThrow(ValueError);
      expect(() => new Pca({ solver: 'qr' as 'exact' })).toThrow(ValueError);
      expect(() => new Pca({ powerIterations: -1 })).toThrow(ValueError);
      await expect(new Pca().fit(x, { kernel: 'gpu' as 'auto' })).rejects.toThrow(ValueError);
      await expect(new Pca().fit(x, { chunkRows: 0 })).rejects.toThrow(/chunkRows/);
      expect(DEFAULT_PCA_CONFIG.solver).toBe('auto');
      expect(Object.isFrozen(DEFAULT_PCA_CONFIG)).toBe(true);
    });

    it('rejects NaN or Infinity in the data with a ValueError naming the column', async () => {
      const bad = Float32Array.from(x.data);
      bad[5 * d + 3] = Number.NaN;
      await expect(new Pca({ nComponents: 2 }).fit({ data: bad, shape: x.shape })).rejects.toThrow(/column 3/);
      const t = tf.tensor2d(bad, x.shape);
      await expect(new Pca({ nComponents: 2, solver: 'randomized' }).fit(t)).rejects.toThrow(ValueError);
      bad[5 * d + 3] = Number.POSITIVE_INFINITY;
      await expect(new Pca().partialFit({ data: bad, shape: x.shape })).rejects.toThrow(ValueError);
      t.dispose();
    });

    it('rejects mismatched shapes with a ShapeError', async () => {
      const pca = await new Pca({ nComponents: 2 }).fit(x);
      const wrong = tf.zeros([3, d + 1]) as tf.Tensor2D;
      expect(() => pca.transform(wrong)).toThrow(ShapeError);
      expect(() => pca.transform(wrong)).toThrow(/expected \[n, 16\], found \[3, 17\]/);
      expect(() => pca.inverseTransform(wrong)).toThrow(ShapeError);
      expect(() => pca.transform(tf.zeros([2, 2, 2]) as unknown as tf.Tensor2D)).toThrow(ShapeError);
      await expect(pca.fit({ data: new Float32Array(10), shape: [3, 4] })).rejects.toThrow(ShapeError);
      const inc = new Pca();
      await inc.partialFit({ data: new Float32Array(8), shape: [2, 4] });
      await expect(inc.partialFit({ data: new Float32Array(10), shape: [2, 5] })).rejects.toThrow(ShapeError);
      wrong.dispose();
      pca.dispose();
    });

    it('refuses to transform before fit, and to fit one row, constant data or partialFit with randomized', async () => {
      const pca = new Pca();
      expect(() => pca.transform(x)).toThrow(NotFittedError);
      expect(() => pca.components).toThrow(/Pca.components/);
      expect(() => pca.finalize()).toThrow(NotFittedError);
      await expect(pca.fit({ data: new Float32Array(4), shape: [1, 4] })).rejects.toThrow(/n ≥ 2/);
      await expect(pca.fit({ data: new Float32Array(12).fill(2), shape: [3, 4] })).rejects.toThrow(/no variance/);
      await expect(new Pca({ nComponents: 1, solver: 'randomized' }).partialFit(x)).rejects.toThrow(ValueError);
    });
  });
});

describe('Pca.fromParameters', () => {
  // A 2-d PCA written down by hand: m = (1, 2), w₁ = (0.6, 0.8), w₂ = (−0.8, 0.6), λ = (4, 1), trace 5.
  const params = {
    mean: [1, 2],
    components: [0.6, 0.8, -0.8, 0.6],
    explainedVariance: [4, 1],
    totalVariance: 5,
    n: 10,
  };

  it('encodes and decodes with the given parameters (fit’s sign convention: largest loading positive)', () => {
    const pca = Pca.fromParameters(params);
    expect(pca.isFitted).toBe(true);
    expect(Array.from(pca.explainedVarianceRatio)).toEqual([0.8, 0.2]);
    // x = m + 2·w₁ − 1·w₂; w₂ is flipped to (0.8, −0.6), so its code is +1.
    const x = { data: Float32Array.from([1 + 1.2 + 0.8, 2 + 1.6 - 0.6]), shape: [1, 2] as [number, number] };
    const z = pca.encode(x);
    expect(Array.from(z.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([2, 1]);
    const back = pca.decode(z);
    const want = [3, 3];
    for (const [i, v] of Array.from(back.dataSync()).entries()) expect(v).toBeCloseTo(want[i]!, 5);
    tf.dispose([z, back]);
    pca.dispose();
    const white = Pca.fromParameters(params, { whiten: true });
    const zw = white.encode(x);
    expect(Array.from(zw.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([1, 1]); // 2/√4, 1/√1
    zw.dispose();
    white.dispose();
  });

  it('rebuilds a fitted PCA from its own parameters: the same codes bit for bit', async () => {
    const rng = (i: number) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453);
    const data = Float32Array.from({ length: 60 * 5 }, (_, i) => rng(i) * (1 + (i % 5)));
    const x = { data, shape: [60, 5] as [number, number] };
    const fitted = await new Pca({ nComponents: 3 }).fit(x);
    const copy = Pca.fromParameters({
      mean: fitted.mean.dataSync(),
      components: fitted.toParameters().components,
      explainedVariance: fitted.explainedVariance,
      totalVariance: fitted.totalVariance,
      n: 60,
    });
    const [a, b] = [fitted.encode(x), copy.encode(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(copy.explainedVarianceRatio)).toEqual(Array.from(fitted.explainedVarianceRatio));
    tf.dispose([a, b]);
    fitted.dispose();
    copy.dispose();
  });

  it('rejects parameters that do not describe a PCA, with typed errors', () => {
    const bad: Array<[object, typeof ShapeError | typeof ValueError, RegExp]> = [
      [{ ...params, components: [0.6, 0.8, -0.8] }, ShapeError, /sizes do not fit/],
      [{ ...params, components: [0.6, 0.8, 0.6, 0.8] }, ValueError, /not orthonormal/],
      [{ ...params, explainedVariance: [1, 4] }, ValueError, /out of order/],
      [{ ...params, explainedVariance: [4, Number.NaN] }, ValueError, /explainedVariance\[1\] is not finite/],
      [{ ...params, totalVariance: 4 }, ValueError, /totalVariance/],
      [{ ...params, n: 1 }, ValueError, /n is out of range/],
    ];
    for (const [p, type, message] of bad) {
      expect(() => Pca.fromParameters(p as typeof params)).toThrow(type);
      expect(() => Pca.fromParameters(p as typeof params)).toThrow(message);
    }
  });
});
