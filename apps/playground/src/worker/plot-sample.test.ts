import { twoMoons } from '@latentlab/data';
import { describe, expect, it } from 'vitest';
import { gatherRows, plotRows } from './plot-sample.js';

describe('plotRows', () => {
  it('spreads the rows over the data set: row ⌊i·n/count⌋', () => {
    expect(Array.from(plotRows(10, 4))).toEqual([0, 2, 5, 7]);
    expect(Array.from(plotRows(3, 1000))).toEqual([0, 1, 2]);
  });

  it('shows both moons of two moons (stored moon by moon) in proportion', () => {
    const moons = twoMoons({ n: 3000, noise: 0.08, seed: 1 });
    const labels = moons.labels!;
    expect(labels[0]).toBe(labels[999]); // the first 1000 rows hold one moon only: why the first rows will not do
    const shown = Array.from(plotRows(3000, 1000), (r) => labels[r]!);
    for (const c of [0, 1]) {
      const inData = Array.from(labels).filter((l) => l === c).length;
      const inPlot = shown.filter((l) => l === c).length;
      expect(Math.abs(inPlot - (inData * 1000) / 3000)).toBeLessThanOrEqual(1);
    }
  });

  it('gathers the rows of a matrix', () => {
    const x = Float32Array.from({ length: 12 }, (_, i) => i); // [4, 3]
    expect(Array.from(gatherRows(x, 3, Int32Array.from([3, 1])))).toEqual([9, 10, 11, 3, 4, 5]);
  });

  it('scales the bytes of image rows to [0, 1] as the models read them (v / 255), one row at a time', () => {
    const bytes = Uint8Array.from({ length: 12 }, (_, i) => i * 20); // [4, 3]
    const got = gatherRows(bytes, 3, Int32Array.from([2, 0]));
    expect(got).toBeInstanceOf(Float32Array);
    expect(Array.from(got)).toEqual([120, 140, 160, 0, 20, 40].map((v) => Math.fround(v / 255)));
  });
});
