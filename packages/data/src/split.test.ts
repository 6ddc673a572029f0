import { describe, expect, it } from 'vitest';
import { createDataset, type Dataset } from './dataset.js';
import { DatasetError } from './errors.js';
import { trainValidationSplit } from './split.js';

// 1000 examples with imbalanced classes: label = 0 for 60 %, 1 for 30 %, 2 for 10 %; row i's byte encodes i mod 256.
function dataset(): Dataset {
  const n = 1000;
  const labels = Uint8Array.from({ length: n }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));
  const x = Uint8Array.from({ length: n * 2 }, (_, k) =>
    k % 2 === 0 ? Math.floor(k / 2) % 256 : labels[Math.floor(k / 2)]!,
  );
  return createDataset({ name: 'imb', x, shape: [n, 2], labels, classNames: ['a', 'b', 'c'] });
}

describe('trainValidationSplit', () => {
  const ds = dataset();

  it('partitions the rows: disjoint, complete, sizes round(f·n), rows copied faithfully', () => {
    const s = trainValidationSplit(ds, { validationFraction: 0.15, seed: 1 });
    expect(s.validationIndices.length).toBe(150);
    expect(s.trainIndices.length).toBe(850);
    const all = [...s.trainIndices, ...s.validationIndices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(s.train.shape).toEqual([850, 2]);
    expect(s.validation.x).toBeInstanceOf(Uint8Array);
    s.validationIndices.forEach((i, k) => {
      expect(s.validation.x[2 * k]).toBe(i % 256);
      expect(s.validation.labels![k]).toBe(ds.labels![i]);
    });
    expect(s.train.classNames).toEqual(['a', 'b', 'c']);
    expect(s.validation.name).toBe('imb-validation');
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const a = trainValidationSplit(ds, { validationSize: 100, seed: 3 });
    const b = trainValidationSplit(ds, { validationSize: 100, seed: 3 });
    const c = trainValidationSplit(ds, { validationSize: 100, seed: 4 });
    expect(Array.from(a.validationIndices)).toEqual(Array.from(b.validationIndices));
    expect(Array.from(a.validationIndices)).not.toEqual(Array.from(c.validationIndices));
  });

  it('stratifies: each class gets its proportional share (largest remainder), within 1', () => {
    const m = 101;
    const s = trainValidationSplit(ds, { validationSize: m, seed: 2, stratify: true });
    const counts = [0, 0, 0];
    for (const l of s.validation.labels!) counts[l]!++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(m);
    const share = [600, 300, 100].map((c) => (m * c) / 1000); // 60.6, 30.3, 10.1
    counts.forEach((c, k) => {
      expect(Math.abs(c - share[k]!)).toBeLessThan(1);
    });
    expect(counts).toEqual([61, 30, 10]); // floors 60, 30, 10; the one left goes to the largest remainder (0.6)
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['fraction 1.5', () => trainValidationSplit(ds, { validationFraction: 1.5 }), /validationFraction.*1\.5/],
    ['fraction NaN', () => trainValidationSplit(ds, { validationFraction: Number.NaN }), /validationFraction/],
    ['fraction 0', () => trainValidationSplit(ds, { validationFraction: 0 }), /validationFraction/],
    ['fraction that rounds to 0', () => trainValidationSplit(ds, { validationFraction: 0.0001 }), /non-empty/],
    ['size n', () => trainValidationSplit(ds, { validationSize: 1000 }), /non-empty/],
    ['size 2.5', () => trainValidationSplit(ds, { validationSize: 2.5 }), /validationSize/],
    ['both', () => trainValidationSplit(ds, { validationSize: 2, validationFraction: 0.1 }), /exactly one/],
    ['neither', () => trainValidationSplit(ds, {}), /exactly one/],
    [
      'stratify without labels',
      () =>
        trainValidationSplit(createDataset({ name: 'u', x: new Uint8Array(10), shape: [5, 2] }), {
          validationSize: 1,
          stratify: true,
        }),
      /labels/,
    ],
  ];
  it.each(bad)('rejects %s with a DatasetError', (_, call, message) => {
    expect(call).toThrow(DatasetError);
    expect(call).toThrow(/trainValidationSplit/);
    expect(call).toThrow(message);
  });
});
