import { seededRandom } from '@latentlab/core/testing';
import { describe, expect, it } from 'vitest';
import { GridIndex } from './grid-index.js';

/** Brute force over every point (float64), the independent reference. */
function bruteNearest(xy: Float32Array, x: number, y: number, k: number): number[] {
  const n = xy.length / 2;
  return Array.from({ length: n }, (_, i) => i)
    .map((i) => ({ i, d: (xy[2 * i]! - x) ** 2 + (xy[2 * i + 1]! - y) ** 2 }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k)
    .map((e) => e.i);
}

describe('GridIndex', () => {
  it('finds the same k nearest points as brute force, inside and outside the cloud', () => {
    const u = seededRandom(7);
    const n = 5000;
    // Clustered points (uneven density) plus a far outlier.
    const xy = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const c = i % 5;
      xy[2 * i] = c * 3 + (u() - 0.5) * (c + 1);
      xy[2 * i + 1] = (c % 2) * 4 + (u() - 0.5) * 0.5;
    }
    xy[0] = 100;
    xy[1] = -50;
    const index = new GridIndex(xy);
    for (let q = 0; q < 60; q++) {
      const x = (u() - 0.2) * 20;
      const y = (u() - 0.3) * 10;
      for (const k of [1, 8, 33]) expect(index.nearest(x, y, k)).toEqual(bruteNearest(xy, x, y, k));
    }
    expect(index.nearest(99, -49, 1)).toEqual([0]);
  });

  it('handles edge cases: k larger than n, no points, all points equal', () => {
    expect(new GridIndex(new Float32Array(0)).nearest(0, 0, 3)).toEqual([]);
    const same = new GridIndex(Float32Array.of(1, 1, 1, 1, 1, 1));
    expect(same.nearest(0, 0, 5)).toEqual([0, 1, 2]);
    expect(() => new GridIndex(new Float32Array(3))).toThrow(RangeError);
  });
});
