import { describe, expect, it } from 'vitest';
import { createDataset } from './dataset.js';
import { DatasetError } from './errors.js';
import { fitStandardizer } from './transforms.js';

describe('fitStandardizer', () => {
  // 4 examples × 3 features; feature 2 is constant.
  const rows = [
    [0, 10, 7],
    [2, 30, 7],
    [4, 50, 7],
    [10, 70, 7],
  ];
  const ds = createDataset({ name: 'toy', x: Uint8Array.from(rows.flat()), shape: [4, 3] });

  it('gives per-feature means and population stds, and std 1 for a constant feature', () => {
    const { mean, std } = fitStandardizer(ds);
    for (let j = 0; j < 3; j++) {
      const col = rows.map((r) => r[j]!);
      const m = col.reduce((a, b) => a + b, 0) / 4;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
      expect(mean[j]).toBeCloseTo(m, 5);
      expect(std[j]).toBeCloseTo(sd > 0 ? sd : 1, 5);
    }
    expect(std[2]).toBe(1);
  });

  it('fits one mean and std over all features with perFeature: false', () => {
    const all = rows.flat();
    const m = all.reduce((a, b) => a + b, 0) / all.length;
    const sd = Math.sqrt(all.reduce((a, b) => a + (b - m) ** 2, 0) / all.length);
    const { mean, std } = fitStandardizer(ds, { perFeature: false });
    expect(mean.length).toBe(1);
    expect(mean[0]).toBeCloseTo(m, 4);
    expect(std[0]).toBeCloseTo(sd, 4);
  });

  it('rejects an empty dataset and a bad epsilon', () => {
    const empty = createDataset({ name: 'e', x: new Uint8Array(0), shape: [0, 3] });
    expect(() => fitStandardizer(empty)).toThrow(DatasetError);
    expect(() => fitStandardizer(ds, { epsilon: Number.NaN })).toThrow(/fitStandardizer/);
  });
});
