import { createRng } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './eigen.js';
import { rowSource } from './matrix.js';
import { orthonormalizeRows, randomizedEigen } from './randomized.js';

/** Rows x_i = Σ_j s_j g_ij e_j + 0.05 ε_i on the first 5 coordinate axes of R^12, plus an offset. */
function data(n: number, d: number) {
  const normals = createRng(99).normalArray(n * d * 2);
  let next = 0;
  const g = () => normals[next++]!;
  const scales = [5, 3, 2, 1.5, 1];
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) x[i * d + c] = 2 + 0.05 * g() + (c < scales.length ? scales[c]! * g() : 0);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] = mean[c]! + x[i * d + c]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        cov[a * d + b] = cov[a * d + b]! + ((x[i * d + a]! - mean[a]!) * (x[i * d + b]! - mean[b]!)) / (n - 1);
      }
    }
  }
  return { x, mean, cov };
}

describe(`randomizedEigen on ${tf.getBackend()}`, () => {
  const [n, d] = [300, 12];
  const { x, mean, cov } = data(n, d);
  const reference = symmetricEigen(cov, d).values;
  const source = rowSource('test', 'x', { data: x, shape: [n, d] });
  const base = { oversamples: 3, powerIterations: 3, seed: 1, chunkRows: 64 };

  it('finds the top eigenvalues of C = Xcᵀ Xc/(n − 1), on both kernels and with streamed or resident chunks', async () => {
    const runs = [
      { kernel: 'javascript' as const },
      { kernel: 'backend' as const },
      { kernel: 'backend' as const, residentValues: 0 },
    ];
    const results = [];
    for (const extra of runs) {
      const r = await assertNoLeaks(() => randomizedEigen(source, mean, 4, { ...base, ...extra }), 0);
      for (let j = 0; j < 4; j++) expect(Math.abs(r.values[j]! - reference[j]!)).toBeLessThan(2e-4 * reference[j]!);
      results.push(r);
    }
    // The three runs see the same test matrix: the vectors agree up to sign.
    for (const r of results.slice(1)) {
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += r.vectors[j * d + c]! * results[0]!.vectors[j * d + c]!;
        expect(Math.abs(dot)).toBeCloseTo(1, 4);
      }
    }
  });

  it('is deterministic for a seed', async () => {
    const a = await randomizedEigen(source, mean, 3, { ...base, kernel: 'javascript', powerIterations: 0 });
    const b = await randomizedEigen(source, mean, 3, { ...base, kernel: 'javascript', powerIterations: 0 });
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    const c = await randomizedEigen(source, mean, 3, { ...base, kernel: 'javascript', powerIterations: 0, seed: 2 });
    expect(Array.from(c.vectors)).not.toEqual(Array.from(a.vectors));
  });

  it('orthonormalizeRows completes a basis when rows are dependent or zero', () => {
    const [l, dd] = [4, 6];
    const q = new Float64Array(l * dd);
    q.set([1, 2, 0, 0, 0, 0], 0);
    q.set([2, 4, 0, 0, 0, 0], dd); // parallel to row 0
    // rows 2 and 3 stay zero
    orthonormalizeRows(q, l, dd, createRng(3));
    for (let i = 0; i < l; i++) {
      for (let j = 0; j < l; j++) {
        let dot = 0;
        for (let c = 0; c < dd; c++) dot += q[i * dd + c]! * q[j * dd + c]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(q[0]).toBeCloseTo(1 / Math.sqrt(5), 12);
  });
});
