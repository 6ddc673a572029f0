import { describe, expect, it } from 'vitest';
import { VizEmptyError, VizNonFiniteError } from './errors.js';
import { pca } from './pca.js';
import { mulberry32 } from './random.js';

describe('pca', () => {
  it('finds the direction of a line of points exactly', () => {
    const { components, variances, mean } = pca([
      [0, 0],
      [2, 1],
      [4, 2],
    ]);
    expect(Array.from(mean)).toEqual([2, 1]);
    expect(components[0]![0]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(components[0]![1]).toBeCloseTo(1 / Math.sqrt(5), 12);
    // Variance along (2, 1)/√5: projections −√5, 0, √5 → (5 + 0 + 5)/(3 − 1) = 5.
    expect(variances[0]).toBeCloseTo(5, 12);
    expect(variances[1]).toBeCloseTo(0, 12);
  });

  it('recovers the eigenpairs of a known covariance: Σe = λe, orthonormal, sorted', () => {
    // Codes z = A·g with g ~ N(0, I): the sample covariance is the reference, computed here directly.
    const rand = mulberry32(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const d = 5;
    const n = 400;
    const rows = Array.from({ length: n }, () => {
      const g = Array.from({ length: d }, gauss);
      return g.map((v, j) => v * (j + 1) + (j > 0 ? 0.5 * g[j - 1]! : 0));
    });
    const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
    const cov = Array.from({ length: d }, (_, a) =>
      Array.from(
        { length: d },
        (_, b) => rows.reduce((s, r) => s + (r[a]! - mean[a]!) * (r[b]! - mean[b]!), 0) / (n - 1),
      ),
    );
    const { components, variances } = pca(rows);
    for (let k = 0; k < d; k++) {
      const e = components[k]!;
      const ce = cov.map((row) => row.reduce((s, v, j) => s + v * e[j]!, 0));
      ce.forEach((v, j) => {
        expect(v).toBeCloseTo(variances[k]! * e[j]!, 8);
      });
      for (let l = 0; l < d; l++) {
        const dot = e.reduce((s, v, j) => s + v * components[l]![j]!, 0);
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
      if (k > 0) expect(variances[k]!).toBeLessThanOrEqual(variances[k - 1]!);
    }
    // Trace is preserved: Σλ = Σ Σ_jj.
    const trace = cov.reduce((s, row, j) => s + row[j]!, 0);
    expect(variances.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 8);
  });

  it('accepts flat codes with dim and rejects bad input with typed errors', () => {
    expect(pca(new Float32Array([0, 0, 2, 1, 4, 2]), 2).variances[0]).toBeCloseTo(5, 5);
    expect(() => pca([[1, 2]])).toThrow(VizEmptyError);
    expect(() =>
      pca([
        [1, 2],
        [Number.NaN, 0],
      ]),
    ).toThrow(VizNonFiniteError);
    expect(() =>
      pca([
        [1, 2],
        [Number.NaN, 0],
      ]),
    ).toThrow(/code 1 has a non-finite coordinate/);
  });
});
