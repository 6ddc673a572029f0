import { createDataset, twoMoons } from '@latentlab/data';
import { describe, expect, it } from 'vitest';
import { HELD_OUT, standardisedSplit } from './held-out.js';

/** Column means and population deviations in float64 (independent of data's fitStandardizer). */
function columnStats(x: ArrayLike<number>, rows: ArrayLike<number>, d: number): { mean: number[]; std: number[] } {
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += x[rows[i]! * d + j]!;
    return s / rows.length;
  });
  const std = mean.map((m, j) => {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += (x[rows[i]! * d + j]! - m) ** 2;
    return Math.sqrt(s / rows.length);
  });
  return { mean, std };
}

describe('standardisedSplit', () => {
  it('holds out round(f·n) rows, disjoint from the training rows, together every row once', () => {
    for (const n of [3000, 7, 1001]) {
      const raw = twoMoons({ n, noise: 0.08, seed: 1 });
      const { train, test, trainIndices, testIndices } = standardisedSplit(raw);
      const m = Math.round(HELD_OUT.fraction * n);
      expect(test.shape).toEqual([m, 2]);
      expect(train.shape).toEqual([n - m, 2]);
      const all = [...trainIndices, ...testIndices].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
      const held = new Set(testIndices);
      expect(trainIndices.some((i) => held.has(i))).toBe(false);
      // The labels follow their rows.
      expect(Array.from(test.labels!)).toEqual(Array.from(testIndices, (i) => raw.labels![i]!));
    }
  });

  it('is seeded: the same rows every time, not the first or last rows', () => {
    const raw = twoMoons({ n: 3000, noise: 0.08, seed: 1 });
    const a = standardisedSplit(raw).testIndices;
    const b = standardisedSplit(raw).testIndices;
    expect(Array.from(a)).toEqual(Array.from(b));
    // Spread over the set (two moons is stored moon by moon): both moons are held out in about equal parts.
    const moon0 = Array.from(a).filter((i) => raw.labels![i] === 0).length;
    expect(Math.abs(moon0 - a.length / 2)).toBeLessThan(0.1 * a.length);
  });

  it('standardises both parts with the training rows statistics only: (x − μ_train)/σ_train', () => {
    const n = 500;
    const d = 3;
    // Columns on different scales and offsets; row i, column j.
    const x = Float32Array.from({ length: n * d }, (_, k) => {
      const [i, j] = [Math.floor(k / d), k % d];
      return (j + 1) * 10 * Math.sin(i * 1.7 + j) + 100 * j;
    });
    const raw = createDataset({ name: 'cols', x, shape: [n, d] });
    const { train, test, trainIndices, testIndices } = standardisedSplit(raw);
    const { mean, std } = columnStats(x, trainIndices, d);
    for (const [part, rows] of [
      [train, trainIndices],
      [test, testIndices],
    ] as const) {
      for (let i = 0; i < rows.length; i++) {
        for (let j = 0; j < d; j++) {
          const want = (x[rows[i]! * d + j]! - mean[j]!) / std[j]!;
          expect(part.x[i * d + j]).toBeCloseTo(want, 4);
        }
      }
    }
    // The training part is centred exactly; the held-out part only about (its own statistics were not used).
    const trainStats = columnStats(
      train.x,
      Array.from(trainIndices, (_, i) => i),
      d,
    );
    for (let j = 0; j < d; j++) {
      expect(trainStats.mean[j]).toBeCloseTo(0, 4);
      expect(trainStats.std[j]).toBeCloseTo(1, 4);
    }
  });

  it('refuses data too small to hold anything out, with data’s typed error', () => {
    const raw = createDataset({ name: 'two', x: Float32Array.from([1, 2]), shape: [2, 1] });
    expect(() => standardisedSplit(raw)).toThrow(/both parts must be non-empty/);
  });
});
