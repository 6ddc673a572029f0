import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type Batch, batchCount, batches, epochOrder } from './batches.js';
import { createDataset, type Dataset } from './dataset.js';
import { DatasetError } from './errors.js';

/** n rows of d bytes with row i, feature j = (7i + 3j) mod 256, label i mod 10. */
function byteDataset(n: number, d: number): Dataset {
  const x = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (7 * i + 3 * j) % 256;
  return createDataset({ name: 'bytes', x, shape: [n, d], labels: Int32Array.from({ length: n }, (_, i) => i % 10) });
}

async function collect(
  it: Iterable<Batch>,
): Promise<{ x: Float32Array[]; labels: Int32Array[]; indices: Int32Array[]; shapes: number[][] }> {
  const out = {
    x: [] as Float32Array[],
    labels: [] as Int32Array[],
    indices: [] as Int32Array[],
    shapes: [] as number[][],
  };
  for (const b of it) {
    out.x.push((await b.x.data()) as Float32Array);
    if (b.labels) out.labels.push((await b.labels.data()) as Int32Array);
    out.indices.push(b.indices);
    out.shapes.push(b.x.shape);
    tf.dispose(b);
  }
  return out;
}

describe('batches', () => {
  const ds = byteDataset(103, 6);

  it('visits every index exactly once per epoch, in ⌈n/b⌉ batches, without leaking', async () => {
    const got = await assertNoLeaks(() => collect(batches(ds, { batchSize: 10, seed: 3 })));
    expect(got.indices.map((i) => i.length)).toEqual([...new Array(10).fill(10), 3]);
    const all = got.indices.flatMap((i) => Array.from(i));
    expect(all.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(all).not.toEqual(Array.from({ length: 103 }, (_, i) => i)); // shuffled
    expect(batchCount(103, 10)).toBe(11);
  });

  it('drops the short last batch with dropLast', async () => {
    const got = await collect(batches(ds, { batchSize: 10, dropLast: true }));
    expect(got.indices.length).toBe(10);
    expect(new Set(got.indices.flatMap((i) => Array.from(i))).size).toBe(100);
    expect(batchCount(103, 10, true)).toBe(10);
  });

  it('same seed and epoch ⇒ same order; another epoch or seed ⇒ another order', async () => {
    const order = async (seed: number, epoch: number) =>
      (await collect(batches(ds, { batchSize: 16, seed, epoch }))).indices.flatMap((i) => Array.from(i));
    const a = await order(1, 0);
    expect(await order(1, 0)).toEqual(a);
    expect(await order(1, 1)).not.toEqual(a);
    expect(await order(2, 0)).not.toEqual(a);
    expect(a).toEqual(Array.from(epochOrder(103, 1, 0)));
  });

  it('keeps dataset order with shuffle: false', async () => {
    const got = await collect(batches(ds, { batchSize: 50, shuffle: false }));
    expect(got.indices.flatMap((i) => Array.from(i))).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it("gathers the right rows, scaled by 1/255 with scale 'unit' (the default for bytes), and their labels", async () => {
    const got = await collect(batches(ds, { batchSize: 32, seed: 9 }));
    got.indices.forEach((idx, b) => {
      expect(got.shapes[b]).toEqual([idx.length, 6]);
      const expected = new Float32Array(idx.length * 6);
      idx.forEach((i, k) => {
        for (let j = 0; j < 6; j++) expected[k * 6 + j] = ((7 * i + 3 * j) % 256) / 255;
      });
      expect(got.x[b]).toEqual(expected); // exact: v/255 rounded to float32 either way
      expect(Array.from(got.labels[b]!)).toEqual(Array.from(idx, (i) => i % 10));
    });
  });

  it("passes values through with scale 'none' and standardises with { mean, std }", async () => {
    const small = byteDataset(4, 3);
    const none = await collect(batches(small, { batchSize: 4, shuffle: false, scale: 'none' }));
    expect(Array.from(none.x[0]!)).toEqual(Array.from(small.x));
    const mean = Float32Array.of(10, 20, 30);
    const std = Float32Array.of(2, 4, 8);
    const st = await collect(batches(small, { batchSize: 4, shuffle: false, scale: { mean, std } }));
    const expected = Array.from(small.x, (v, k) => (v - mean[k % 3]!) / std[k % 3]!);
    expect(
      Array.from(st.x[0]!).every((v, k) => Math.abs(v - expected[k]!) <= 1e-6 * Math.max(1, Math.abs(expected[k]!))),
    ).toBe(true);
  });

  it("binarises with 'threshold': 1 where v/255 > 0.5", async () => {
    const got = await collect(batches(ds, { batchSize: 103, shuffle: false, binarize: 'threshold' }));
    expect(Array.from(got.x[0]!)).toEqual(Array.from(ds.x, (v) => (v / 255 > 0.5 ? 1 : 0)));
    const t = await collect(batches(ds, { batchSize: 103, shuffle: false, binarize: 'threshold', threshold: 0.25 }));
    expect(Array.from(t.x[0]!)).toEqual(Array.from(ds.x, (v) => (v / 255 > 0.25 ? 1 : 0)));
  });

  it("binarises 'dynamic'ally: 0/1 with mean ≈ intensity, resampled every batch, reproducible per seed", async () => {
    // 64 identical rows whose 256 pixels take every byte value: each batch of 8 rows is a fresh sample.
    const d = 256;
    const n = 64;
    const x = new Uint8Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = j;
    const img = createDataset({ name: 'ramp', x, shape: [n, d] });
    const got = await collect(batches(img, { batchSize: 8, shuffle: false, binarize: 'dynamic', seed: 4 }));
    const all = got.x.flatMap((b) => Array.from(b));
    expect(all.every((v) => v === 0 || v === 1)).toBe(true);
    // Mean over N = n·d Bernoulli(p_j) draws: E = mean(p), Var = Σ p(1−p)/N²; allow 5 standard deviations.
    const p = Array.from({ length: d }, (_, j) => j / 255);
    const N = n * d;
    const pMean = p.reduce((a, b) => a + b, 0) / d;
    const sd = Math.sqrt((n * p.reduce((a, q) => a + q * (1 - q), 0)) / N ** 2);
    const mean = all.reduce((a, b) => a + b, 0) / N;
    expect(Math.abs(mean - pMean)).toBeLessThan(5 * sd);
    // Per-pixel frequency over the 64 draws follows its own p (pixels 0 and 255 are exact).
    for (let j = 0; j < d; j++) {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += all[i * d + j]!;
      if (j === 0) expect(ones).toBe(0);
      if (j === 255) expect(ones).toBe(n);
      expect(Math.abs(ones / n - p[j]!)).toBeLessThan(5 * Math.sqrt((p[j]! * (1 - p[j]!)) / n) + 1e-9);
    }
    // Resampled: the first rows of two batches (the same image) differ where 0 < p < 1, about 2p(1−p) of the time.
    const first = got.x[0]!.subarray(0, d);
    const second = got.x[1]!.subarray(0, d);
    let differ = 0;
    for (let j = 0; j < d; j++) differ += first[j] !== second[j] ? 1 : 0;
    const expectedDiffer = p.reduce((a, q) => a + 2 * q * (1 - q), 0); // ≈ 85
    expect(Math.abs(differ - expectedDiffer)).toBeLessThan(5 * Math.sqrt(expectedDiffer));
    const again = await collect(batches(img, { batchSize: 8, shuffle: false, binarize: 'dynamic', seed: 4 }));
    expect(again.x).toEqual(got.x);
    const epoch1 = await collect(
      batches(img, { batchSize: 8, shuffle: false, binarize: 'dynamic', seed: 4, epoch: 1 }),
    );
    expect(epoch1.x).not.toEqual(got.x);
  });

  it('keeps the feature shape with flatten: false and float32 data as is', async () => {
    const x = Float32Array.from({ length: 5 * 2 * 3 }, (_, i) => i / 7 - 1);
    const f = createDataset({ name: 'f', x, shape: [5, 2, 3] });
    const got = await collect(batches(f, { batchSize: 2, shuffle: false, flatten: false }));
    expect(got.shapes).toEqual([
      [2, 2, 3],
      [2, 2, 3],
      [1, 2, 3],
    ]);
    expect(got.x.flatMap((b) => Array.from(b))).toEqual(Array.from(x));
    expect(got.labels).toEqual([]);
  });

  it('leaves earlier batches intact when later ones are made', async () => {
    const it = batches(ds, { batchSize: 20, seed: 1 });
    const first = it.next().value as Batch;
    const before = Array.from(await first.x.data());
    const second = it.next().value as Batch;
    expect(Array.from(await first.x.data())).toEqual(before);
    tf.dispose([first, second]);
  });

  it('makes tensors lazily: an abandoned iterator leaks nothing', async () => {
    await assertNoLeaks(() => {
      const it = batches(ds, { batchSize: 10 });
      tf.dispose(it.next().value as Batch);
      it.return?.();
    });
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['batchSize 0', () => batches(ds, { batchSize: 0 }), /batchSize.*found 0/],
    ['batchSize NaN', () => batches(ds, { batchSize: Number.NaN }), /batchSize.*NaN/],
    ['batchSize 2.5', () => batches(ds, { batchSize: 2.5 }), /batchSize/],
    ['seed NaN', () => batches(ds, { batchSize: 2, seed: Number.NaN }), /seed/],
    ['epoch −1', () => batches(ds, { batchSize: 2, epoch: -1 }), /epoch/],
    ['unknown binarize', () => batches(ds, { batchSize: 2, binarize: 'yes' as 'dynamic' }), /binarize/],
    ['threshold 1.5', () => batches(ds, { batchSize: 2, binarize: 'threshold', threshold: 1.5 }), /threshold/],
    [
      'standardizer of the wrong length',
      () => batches(ds, { batchSize: 2, scale: { mean: new Float32Array(5), std: new Float32Array(5).fill(1) } }),
      /mean length/,
    ],
    [
      'zero std',
      () => batches(ds, { batchSize: 2, scale: { mean: new Float32Array(6), std: new Float32Array(6) } }),
      /std/,
    ],
    [
      'binarize with a standardizer',
      () =>
        batches(ds, {
          batchSize: 2,
          binarize: 'dynamic',
          scale: { mean: new Float32Array(1), std: Float32Array.of(1) },
        }),
      /standardizer/,
    ],
    [
      "scale 'unit' on float32 data",
      () =>
        batches(createDataset({ name: 'f', x: new Float32Array(4), shape: [2, 2] }), { batchSize: 2, scale: 'unit' }),
      /Uint8/,
    ],
    [
      'an inconsistent dataset',
      () => batches({ name: 'x', x: new Uint8Array(3), shape: [2, 2] }, { batchSize: 1 }),
      /dataset/,
    ],
  ];
  it.each(bad)('rejects %s with a DatasetError naming batches, before making tensors', async (_, call, message) => {
    await assertNoLeaks(() => {
      expect(call).toThrow(DatasetError);
      expect(call).toThrow(/batches/);
      expect(call).toThrow(message);
    });
  });

  it('rejects dynamic binarisation of float32 values outside [0, 1] when the batch is made', () => {
    const f = createDataset({ name: 'f', x: Float32Array.of(0.5, 2), shape: [1, 2] });
    const it = batches(f, { batchSize: 1, binarize: 'dynamic' });
    expect(() => it.next()).toThrow(/values in \[0, 1\]/);
  });
});
