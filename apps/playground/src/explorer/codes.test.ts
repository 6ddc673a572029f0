import { describe, expect, it } from 'vitest';
import { fitSquare, meanCode, project, rankScale } from './codes.js';

describe('explorer data transforms', () => {
  it('projects codes on their first two dimensions', () => {
    expect(Array.from(project(Float32Array.of(1, 2, 3, 4, 5, 6), 3))).toEqual([1, 2, 4, 5]);
    expect(Array.from(project(Float32Array.of(1, 2), 1))).toEqual([1, 1, 2, 2]);
  });

  it('fits every code into [−1, 1]² with one scale for both axes', () => {
    const xy = Float32Array.of(-3, 10, 5, 12, 1, 11);
    const { cx, cy, half } = fitSquare(xy);
    expect(cx).toBe(1);
    expect(cy).toBe(11);
    expect(half).toBeCloseTo(4 * 1.05, 12);
    for (let i = 0; i < xy.length; i += 2) {
      expect(Math.abs((xy[i]! - cx) / half)).toBeLessThanOrEqual(1);
      expect(Math.abs((xy[i + 1]! - cy) / half)).toBeLessThanOrEqual(1);
    }
  });

  it('averages the full codes of a selection', () => {
    const z = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9); // [3, 3]
    expect(meanCode(z, 3, [0, 2])).toEqual([(1 + 7) / 2, (2 + 8) / 2, (3 + 9) / 2]);
    expect(meanCode(z, 3, [])).toEqual([0, 0, 0]);
  });

  it('scales values by rank to [0, 1]', () => {
    expect(Array.from(rankScale(Float32Array.of(10, 1e9, 3, Number.NaN)))).toEqual([0.5, 1, 0, 0]);
  });
});
