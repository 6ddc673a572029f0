import { describe, expect, it } from 'vitest';
import { VizShapeError, VizValueError } from './errors.js';
import { interpolate } from './interpolate.js';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('interpolate', () => {
  it('linear: includes both ends and is (1 − t)a + tb in between', () => {
    const a = [1, -2, 3];
    const b = [-3, 0, 5];
    const path = interpolate(a, b, 5, 'linear');
    expect(path).toHaveLength(5);
    path.forEach((z, i) => {
      const t = i / 4;
      z.forEach((v, j) => {
        expect(v).toBeCloseTo((1 - t) * a[j]! + t * b[j]!, 6);
      });
    });
  });

  it('slerp: follows the great circle between equal-norm codes at constant angular speed', () => {
    const a = [3, 0, 0];
    const b = [0, 3, 0];
    const path = interpolate(a, b, 7, 'slerp');
    path.forEach((z, i) => {
      expect(norm(z)).toBeCloseTo(3, 5);
      // The angle from a grows linearly: θ_i = (π/2)·i/6.
      expect(Math.atan2(z[1]!, z[0]!)).toBeCloseTo((Math.PI / 2) * (i / 6), 5);
    });
    // Midpoint of slerp is (a + b)/|a + b|·3, linear would have norm 3/√2.
    expect(path[3]![0]).toBeCloseTo(3 / Math.SQRT2, 5);
  });

  it('slerp of parallel codes falls back to linear', () => {
    const path = interpolate([1, 1], [2, 2], 3, 'slerp');
    expect(Array.from(path[1]!)).toEqual([1.5, 1.5]);
  });

  it('rejects mismatched codes, too few steps and unknown methods', () => {
    expect(() => interpolate([1, 2], [1], 3)).toThrow(VizShapeError);
    expect(() => interpolate([1], [2], 1)).toThrow(/steps: expected an integer ≥ 2, found 1/);
    expect(() => interpolate([1], [2], 3, 'cubic' as 'linear')).toThrow(VizValueError);
    expect(() => interpolate([Number.NaN], [2], 3)).toThrow(/not finite/);
  });
});
