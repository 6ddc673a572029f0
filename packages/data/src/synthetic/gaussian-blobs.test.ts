import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { gaussianBlobs } from './gaussian-blobs.js';

describe('gaussianBlobs', () => {
  it('draws each blob around its centre with the requested std; labels i mod k', () => {
    const centers = [
      [0, 0, 0],
      [5, -5, 2],
      [-3, 4, 10],
    ];
    const std = 0.5;
    const n = 3000;
    const { dataset, centers: mu } = gaussianBlobs({ n, centers, std, seed: 2 });
    expect(dataset.shape).toEqual([n, 3]);
    expect(Array.from(mu)).toEqual(centers.flat());
    const sum = centers.map(() => [0, 0, 0]);
    const sq = centers.map(() => [0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const c = dataset.labels![i]!;
      expect(c).toBe(i % 3);
      for (let j = 0; j < 3; j++) {
        sum[c]![j]! += dataset.x[3 * i + j]!;
        sq[c]![j]! += (dataset.x[3 * i + j]! - centers[c]![j]!) ** 2;
      }
    }
    const nc = n / 3;
    centers.forEach((ctr, c) => {
      ctr.forEach((m, j) => {
        expect(Math.abs(sum[c]![j]! / nc - m)).toBeLessThan((5 * std) / Math.sqrt(nc));
        expect(Math.abs(Math.sqrt(sq[c]![j]! / nc) - std) / std).toBeLessThan(0.1);
      });
    });
  });

  it('draws k random centres inside the box, reproducibly', () => {
    const a = gaussianBlobs({ n: 10, centers: 4, dim: 5, centerBox: 2, seed: 1 });
    expect(a.centers.length).toBe(20);
    expect(a.centers.every((v) => Math.abs(v) <= 2)).toBe(true);
    expect(a.dataset.shape).toEqual([10, 5]);
    expect(gaussianBlobs({ n: 10, centers: 4, dim: 5, centerBox: 2, seed: 1 }).dataset.x).toEqual(a.dataset.x);
    expect(gaussianBlobs({ n: 10, centers: 4, dim: 5, centerBox: 2, seed: 2 }).dataset.x).not.toEqual(a.dataset.x);
  });

  it('rejects ragged centres and bad counts', () => {
    expect(() => gaussianBlobs({ n: 10, centers: [[0, 0], [1]] })).toThrow(DatasetError);
    expect(() => gaussianBlobs({ n: 10, centers: 0 })).toThrow(/gaussianBlobs.*centers/);
    expect(() => gaussianBlobs({ n: 10, centers: 2, std: -1 })).toThrow(/std/);
  });
});
