import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { sCurve } from './s-curve.js';

describe('sCurve', () => {
  it('puts noiseless points on x = sin t, z = sign(t)(cos t − 1), with t ∈ [−1.5π, 1.5π), y ∈ [0, 2)', () => {
    const s = sCurve({ n: 2000, seed: 1 });
    expect(s.shape).toEqual([2000, 3]);
    const { x, t } = s;
    for (let i = 0; i < 2000; i++) {
      const ti = t![i]!;
      expect(ti >= -1.5 * Math.PI - 1e-6 && ti < 1.5 * Math.PI + 1e-6).toBe(true);
      expect(Math.abs(x[3 * i]! - Math.sin(ti))).toBeLessThan(1e-6);
      expect(Math.abs(x[3 * i + 2]! - Math.sign(ti) * (Math.cos(ti) - 1))).toBeLessThan(1e-6);
      expect(x[3 * i + 1]! >= 0 && x[3 * i + 1]! < 2).toBe(true);
    }
  });

  it('adds noise with the requested standard deviation', () => {
    const sigma = 0.1;
    const { x, t } = sCurve({ n: 5000, noise: sigma, seed: 2 });
    let sq = 0;
    for (let i = 0; i < 5000; i++) sq += (x[3 * i]! - Math.sin(t![i]!)) ** 2;
    expect(Math.abs(Math.sqrt(sq / 5000) - sigma) / sigma).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(sCurve({ n: 40, seed: 9 }).x).toEqual(sCurve({ n: 40, seed: 9 }).x);
    expect(sCurve({ n: 40, seed: 9 }).x).not.toEqual(sCurve({ n: 40, seed: 10 }).x);
    expect(() => sCurve({ n: 2.5 })).toThrow(DatasetError);
  });
});
