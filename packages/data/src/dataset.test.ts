import { describe, expect, it } from 'vitest';
import { createDataset, datasetSize, featureSize, subset } from './dataset.js';
import { DatasetError } from './errors.js';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);

describe('createDataset', () => {
  it('keeps the arrays (no copy), freezes the object and reports n and d', () => {
    const x = bytes(2 * 3 * 4);
    const labels = new Uint8Array([1, 0]);
    const ds = createDataset({ name: 'toy', x, shape: [2, 3, 4], labels, classNames: ['a', 'b'] });
    expect(ds.x).toBe(x);
    expect(ds.x).toBeInstanceOf(Uint8Array);
    expect(ds.labels).toBe(labels);
    expect(datasetSize(ds)).toBe(2);
    expect(featureSize(ds)).toBe(12);
    expect(Object.isFrozen(ds)).toBe(true);
    expect(ds.classNames).toEqual(['a', 'b']);
  });

  it('accepts an empty dataset', () => {
    expect(datasetSize(createDataset({ name: 'empty', x: new Float32Array(0), shape: [0, 5] }))).toBe(0);
  });

  const cases: [string, () => unknown, RegExp][] = [
    ['x length ≠ ∏ shape', () => createDataset({ name: 'a', x: bytes(10), shape: [3, 3] }), /expected 9 .*found 10/],
    [
      'x of a wrong type',
      () => createDataset({ name: 'a', x: [1, 2] as unknown as Uint8Array, shape: [1, 2] }),
      /Uint8Array or Float32Array/,
    ],
    ['shape without features', () => createDataset({ name: 'a', x: bytes(3), shape: [3] }), /invalid shape/],
    ['fractional dims', () => createDataset({ name: 'a', x: bytes(3), shape: [1.5, 2] }), /invalid shape/],
    ['zero feature dim', () => createDataset({ name: 'a', x: bytes(0), shape: [3, 0] }), /invalid shape/],
    ['empty name', () => createDataset({ name: '', x: bytes(2), shape: [1, 2] }), /name/],
    [
      'NaN feature',
      () => createDataset({ name: 'a', x: Float32Array.of(1, Number.NaN), shape: [1, 2] }),
      /x\[1\].*NaN/,
    ],
    [
      'labels length ≠ n',
      () => createDataset({ name: 'a', x: bytes(4), shape: [2, 2], labels: new Uint8Array(3) }),
      /labels length.*expected 2, found 3/,
    ],
    [
      'float labels',
      () =>
        createDataset({ name: 'a', x: bytes(4), shape: [2, 2], labels: new Float32Array(2) as unknown as Int32Array }),
      /Uint8Array or Int32Array/,
    ],
    [
      'negative label',
      () => createDataset({ name: 'a', x: bytes(4), shape: [2, 2], labels: Int32Array.of(0, -1) }),
      /labels\[1\]/,
    ],
    [
      'label ≥ classNames.length',
      () =>
        createDataset({ name: 'a', x: bytes(4), shape: [2, 2], labels: Uint8Array.of(0, 2), classNames: ['a', 'b'] }),
      /0 ≤ label < 2, found 2/,
    ],
    [
      'classNames without labels',
      () => createDataset({ name: 'a', x: bytes(4), shape: [2, 2], classNames: ['a'] }),
      /labels/,
    ],
    [
      't length ≠ n',
      () => createDataset({ name: 'a', x: bytes(4), shape: [2, 2], t: new Float32Array(1) }),
      /t length/,
    ],
  ];
  it.each(cases)('rejects %s with a DatasetError naming createDataset', (_, make, message) => {
    expect(make).toThrow(DatasetError);
    expect(make).toThrow(/createDataset/);
    expect(make).toThrow(message);
  });
});

describe('subset', () => {
  it('copies the chosen rows, labels and t in order, keeping the feature type', () => {
    const x = bytes(5 * 3);
    const ds = createDataset({
      name: 'toy',
      x,
      shape: [5, 3],
      labels: Int32Array.of(0, 1, 2, 3, 4),
      t: Float32Array.of(0.5, 1.5, 2.5, 3.5, 4.5),
    });
    const s = subset(ds, [4, 0, 2], 'picked');
    expect(s.name).toBe('picked');
    expect(s.shape).toEqual([3, 3]);
    expect(s.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(s.x)).toEqual([...x.slice(12, 15), ...x.slice(0, 3), ...x.slice(6, 9)]);
    expect(Array.from(s.labels!)).toEqual([4, 0, 2]);
    expect(s.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(s.t!)).toEqual([4.5, 0.5, 2.5]);
    expect(s.x.buffer).not.toBe(x.buffer);
  });

  it('rejects out-of-range indices', () => {
    const ds = createDataset({ name: 'toy', x: bytes(4), shape: [2, 2] });
    expect(() => subset(ds, [0, 2])).toThrow(DatasetError);
    expect(() => subset(ds, [0.5])).toThrow(/subset/);
  });
});
