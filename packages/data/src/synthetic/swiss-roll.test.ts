import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { swissRoll } from './swiss-roll.js';

describe('swissRoll', () => {
  it('puts noiseless points on x = t cos t, z = t sin t, with t ∈ [1.5π, 4.5π), y ∈ [0, 21)', () => {
    const roll = swissRoll({ n: 2000, seed: 1 });
    expect(roll.shape).toEqual([2000, 3]);
    expect(roll.x).toBeInstanceOf(Float32Array);
    const { x, t } = roll;
    let tMin = Number.POSITIVE_INFINITY;
    let tMax = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 2000; i++) {
      const ti = t![i]!;
      tMin = Math.min(tMin, ti);
      tMax = Math.max(tMax, ti);
      // float32 storage of t and x: relative rounding ≈ 6e-8 of |t| ≤ 14.2, amplified by |t| through cos t.
      expect(Math.abs(x[3 * i]! - ti * Math.cos(ti))).toBeLessThan(1e-4);
      expect(Math.abs(x[3 * i + 2]! - ti * Math.sin(ti))).toBeLessThan(1e-4);
      expect(x[3 * i + 1]! >= 0 && x[3 * i + 1]! < 21).toBe(true);
    }
    expect(tMin).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-6);
    expect(tMax).toBeLessThan(4.5 * Math.PI + 1e-6);
    // t ~ U[1.5π, 4.5π): mean 3π, sd 3π/√12; allow 5 standard errors.
    const mean = t!.reduce((a, b) => a + b, 0) / 2000;
    expect(Math.abs(mean - 3 * Math.PI)).toBeLessThan((5 * (3 * Math.PI)) / Math.sqrt(12) / Math.sqrt(2000));
  });

  it('adds noise with the requested standard deviation', () => {
    const sigma = 0.3;
    const { x, t } = swissRoll({ n: 5000, noise: sigma, seed: 2 });
    let sq = 0;
    for (let i = 0; i < 5000; i++) {
      sq += (x[3 * i]! - t![i]! * Math.cos(t![i]!)) ** 2 + (x[3 * i + 2]! - t![i]! * Math.sin(t![i]!)) ** 2;
    }
    const sd = Math.sqrt(sq / 10_000);
    expect(Math.abs(sd - sigma) / sigma).toBeLessThan(0.05); // sd of a 10⁴-sample std ≈ 0.7 %
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(swissRoll({ n: 50, noise: 0.1, seed: 3 }).x).toEqual(swissRoll({ n: 50, noise: 0.1, seed: 3 }).x);
    expect(swissRoll({ n: 50, seed: 3 }).x).not.toEqual(swissRoll({ n: 50, seed: 4 }).x);
  });

  it('rejects bad options', () => {
    expect(() => swissRoll({ n: 0 })).toThrow(DatasetError);
    expect(() => swissRoll({ n: 10, noise: -1 })).toThrow(/swissRoll.*noise/);
    expect(() => swissRoll({ n: 10, seed: Number.NaN })).toThrow(/seed/);
  });
});
