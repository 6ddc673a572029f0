import { describe, expect, it } from 'vitest';
import { VizValueError } from './errors.js';
import { dimsPlane, gridValues, manifoldCodes, pcaPlane } from './manifold-grid.js';
import { normalQuantile } from './normal-quantile.js';

describe('gridValues', () => {
  it('linear spacing is evenly spaced on [−extent, extent]', () => {
    expect(gridValues(5, { extent: 2 })).toEqual([-2, -1, 0, 1, 2]);
  });
  it('gaussian spacing is Φ⁻¹ of evenly spaced probabilities', () => {
    const v = gridValues(3, { spacing: 'gaussian', quantiles: [0.025, 0.975] });
    expect(v[0]).toBeCloseTo(-1.959963984540054, 7);
    expect(v[1]).toBeCloseTo(0, 12);
    expect(v[2]).toBeCloseTo(1.959963984540054, 7);
    const w = gridValues(4, { spacing: 'gaussian' });
    [0.05, 0.35, 0.65, 0.95].forEach((p, i) => {
      expect(w[i]).toBeCloseTo(normalQuantile(p), 12);
    });
  });
  it('rejects bad sizes and ranges', () => {
    expect(() => gridValues(1)).toThrow(VizValueError);
    expect(() => gridValues(3, { spacing: 'gaussian', quantiles: [0, 1] })).toThrow(/0 < lo < hi < 1/);
  });
});

describe('manifoldCodes', () => {
  it('lays a grid over two latent dimensions, row 0 at the top (largest y)', () => {
    const g = manifoldCodes(dimsPlane(4, [1, 3], [9, 0, 0, 0]), 3, { extent: 1 });
    expect(g.codes).toHaveLength(9);
    expect(g.labels).toEqual(['z₂', 'z₄']);
    // Tile (row 0, col 2): x = +1 on dim 1, y = +1 on dim 3; base kept on dim 0.
    expect(Array.from(g.codes[2]!)).toEqual([9, 1, 0, 1]);
    // Tile (row 2, col 0): x = −1, y = −1.
    expect(Array.from(g.codes[6]!)).toEqual([9, -1, 0, -1]);
  });

  it('on the PCA plane: codes are μ + x√λ₁e₁ + y√λ₂e₂, so they lie in the plane of the data', () => {
    // Points on the plane z₃ = z₁ + z₂ in 3-d: the principal plane is that plane.
    const codes: number[][] = [];
    for (let i = 0; i < 7; i++) for (let j = 0; j < 5; j++) codes.push([i - 3, 2 * (j - 2), i - 3 + 2 * (j - 2)]);
    const plane = pcaPlane(codes);
    const g = manifoldCodes(plane, 4, { spacing: 'gaussian' });
    for (const z of g.codes) expect(z[2]!).toBeCloseTo(z[0]! + z[1]!, 4);
    // The u axis has length √λ₁ (one standard deviation).
    const uNorm = Math.hypot(...plane.u);
    expect(uNorm).toBeGreaterThan(0);
    expect(plane.labels).toEqual(['PC 1 (σ)', 'PC 2 (σ)']);
  });

  it('rejects invalid dims', () => {
    expect(() => dimsPlane(2, [0, 0])).toThrow(/two different integers/);
    expect(() => dimsPlane(3, [0, 3])).toThrow(VizValueError);
  });
});
