import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { twoMoons } from './two-moons.js';

describe('twoMoons', () => {
  it('puts noiseless points on the two unit half circles, ⌈n/2⌉ outer and ⌊n/2⌋ inner', () => {
    const m = twoMoons({ n: 201, seed: 0 });
    expect(m.shape).toEqual([201, 2]);
    expect(m.classNames).toEqual(['outer', 'inner']);
    const labels = Array.from(m.labels!);
    expect(labels.filter((l) => l === 0).length).toBe(101);
    expect(labels.filter((l) => l === 1).length).toBe(100);
    for (let i = 0; i < 201; i++) {
      const [px, py] = [m.x[2 * i]!, m.x[2 * i + 1]!];
      if (labels[i] === 0) {
        expect(Math.hypot(px, py)).toBeCloseTo(1, 6); // centre (0, 0), upper half
        expect(py).toBeGreaterThanOrEqual(-1e-7);
      } else {
        expect(Math.hypot(px - 1, py - 0.5)).toBeCloseTo(1, 6); // centre (1, ½), lower half
        expect(py).toBeLessThanOrEqual(0.5 + 1e-7);
      }
    }
    // Endpoints: θ = 0 and π on each moon.
    expect([m.x[0], m.x[1]]).toEqual([1, 0]);
    expect([m.x[2 * 100], m.x[2 * 100 + 1]]).toEqual([-1, Math.fround(Math.sin(Math.PI))]);
  });

  it('scatters noisy points around radius 1 with the requested spread', () => {
    const sigma = 0.05;
    const m = twoMoons({ n: 4000, noise: sigma, seed: 5 });
    let sumR = 0;
    let sq = 0;
    for (let i = 0; i < 4000; i++) {
      const inner = m.labels![i] === 1;
      const r = Math.hypot(m.x[2 * i]! - (inner ? 1 : 0), m.x[2 * i + 1]! - (inner ? 0.5 : 0));
      sumR += r;
      sq += (r - 1) ** 2;
    }
    // Radial error ≈ the noise projected on the radius: mean ≈ 1 (+σ²/2), rms ≈ σ.
    expect(Math.abs(sumR / 4000 - 1)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sq / 4000) - sigma) / sigma).toBeLessThan(0.1);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(twoMoons({ n: 30, noise: 0.1, seed: 1 }).x).toEqual(twoMoons({ n: 30, noise: 0.1, seed: 1 }).x);
    expect(twoMoons({ n: 30, noise: 0.1, seed: 1 }).x).not.toEqual(twoMoons({ n: 30, noise: 0.1, seed: 2 }).x);
    expect(() => twoMoons({ n: 10, noise: Number.POSITIVE_INFINITY })).toThrow(DatasetError);
  });
});
