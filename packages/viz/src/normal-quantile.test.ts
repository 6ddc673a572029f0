import { describe, expect, it } from 'vitest';
import { VizValueError } from './errors.js';
import { normalQuantile } from './normal-quantile.js';

/** Φ(x) by composite Simpson integration of the density φ(t) = exp(−t²/2)/√(2π) from 0 to x, in float64. */
function normalCdf(x: number): number {
  const steps = 2000;
  const h = x / steps;
  const phi = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let s = phi(0) + phi(x);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * phi(i * h);
  return 0.5 + (s * h) / 3;
}

describe('normalQuantile', () => {
  it('inverts the normal CDF across the centre and both tails', () => {
    for (const p of [1e-6, 0.001, 0.02, 0.02425, 0.05, 0.2, 0.5, 0.7, 0.95, 0.97575, 0.999, 1 - 1e-6]) {
      const z = normalQuantile(p);
      // Acklam's approximation has relative error < 1.15e-9; Simpson with 2000 steps is ~1e-14 accurate.
      expect(Math.abs(normalCdf(z) - p)).toBeLessThan(2e-9 * Math.max(p, 1 - p));
    }
  });

  it('is antisymmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p), and Φ⁻¹(½) = 0', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    for (const p of [0.01, 0.1, 0.3]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 8);
  });

  it('rejects p outside (0, 1) with a typed error', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) {
      expect(() => normalQuantile(p)).toThrow(VizValueError);
    }
    expect(() => normalQuantile(1)).toThrow(/normalQuantile.*expected 0 < p < 1, found 1/);
  });
});
