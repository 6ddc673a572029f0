import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Batch } from './batches.js';
import { DatasetError } from './errors.js';
import { streamBatches } from './stream.js';

const n = 57;
const d = 12;
// Row i, feature j = (5i + j) mod 256.
const data = Uint8Array.from({ length: n * d }, (_, k) => (5 * Math.floor(k / d) + (k % d)) % 256);

/** Cuts `a` into chunks of the given lengths (cycled), as an async iterable. */
async function* chunks<T extends Uint8Array | Float32Array>(a: T, sizes: number[]): AsyncGenerator<T> {
  for (let pos = 0, k = 0; pos < a.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield a.subarray(pos, pos + size) as T;
    pos += size;
  }
}

async function collect(it: AsyncIterable<Batch>) {
  const out = { x: [] as number[][], labels: [] as number[][], indices: [] as number[][], shapes: [] as number[][] };
  for await (const b of it) {
    out.x.push(Array.from(await b.x.data()));
    if (b.labels) out.labels.push(Array.from(await b.labels.data()));
    out.indices.push(Array.from(b.indices));
    out.shapes.push(b.x.shape);
    tf.dispose(b);
  }
  return out;
}

describe('streamBatches', () => {
  it('reassembles rows cut anywhere and yields them in order, scaled /255, without leaking', async () => {
    const got = await assertNoLeaks(() =>
      collect(streamBatches(chunks(data, [5, 31, 1, 100]), { featureShape: [3, 4], batchSize: 10 })),
    );
    expect(got.shapes).toEqual([...new Array(5).fill([10, 12]), [7, 12]]);
    expect(got.indices.flat()).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(got.x.flat()).toEqual(Array.from(data, (v) => Math.fround(v / 255)));
  });

  it('accepts a synchronous iterable of single rows and float32 data, unflattened', async () => {
    const f = Float32Array.from(data, (v) => v / 10);
    const rows = Array.from({ length: n }, (_, i) => f.subarray(i * d, (i + 1) * d));
    const got = await collect(
      streamBatches(rows, { featureShape: [3, 4], batchSize: 20, flatten: false, dropLast: true }),
    );
    expect(got.shapes).toEqual([
      [20, 3, 4],
      [20, 3, 4],
    ]);
    expect(got.x.flat()).toEqual(Array.from(f.subarray(0, 40 * d)));
  });

  it('shuffles through a buffer: every row once, reproducible per seed, labels follow their rows', async () => {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 7);
    const run = (seed: number) =>
      collect(
        streamBatches(chunks(data, [50]), { featureShape: [d], batchSize: 8, shuffleBufferSize: 16, seed, labels }),
      );
    const a = await assertNoLeaks(() => run(1));
    const order = a.indices.flat();
    expect(order.slice().sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: n }, (_, i) => i));
    expect((await run(1)).indices).toEqual(a.indices);
    expect((await run(2)).indices).not.toEqual(a.indices);
    expect(a.labels.flat()).toEqual(order.map((i) => i % 7));
    // Each row's values travel with it.
    a.indices.forEach((idx, b) => {
      idx.forEach((i, k) => {
        expect(a.x[b]!.slice(k * d, (k + 1) * d)).toEqual(
          Array.from(data.subarray(i * d, (i + 1) * d), (v) => Math.fround(v / 255)),
        );
      });
    });
  });

  it('leaks nothing when the consumer stops early', async () => {
    await assertNoLeaks(async () => {
      for await (const b of streamBatches(chunks(data, [7]), {
        featureShape: [d],
        batchSize: 4,
        shuffleBufferSize: 8,
      })) {
        tf.dispose(b);
        break;
      }
    });
  });

  it('validates options at the call', () => {
    const src = chunks(data, [d]);
    const cases: [() => unknown, RegExp][] = [
      [() => streamBatches(src, { featureShape: [d], batchSize: 0 }), /batchSize/],
      [() => streamBatches(src, { featureShape: [], batchSize: 2 }), /featureShape/],
      [() => streamBatches(src, { featureShape: [d], batchSize: 2, shuffleBufferSize: -1 }), /shuffleBufferSize/],
      [() => streamBatches(src, { featureShape: [d], batchSize: 2, seed: 0.5 }), /seed/],
      [
        () => streamBatches(src, { featureShape: [d], batchSize: 2, binarize: 'threshold', threshold: Number.NaN }),
        /threshold/,
      ],
      [() => streamBatches(42 as unknown as Uint8Array[], { featureShape: [d], batchSize: 2 }), /source/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(DatasetError);
      expect(call).toThrow(/streamBatches/);
      expect(call).toThrow(message);
    }
  });

  it('fails while iterating on a stream that ends inside a row, mixed chunk types or too few labels', async () => {
    await expect(
      collect(streamBatches([data.subarray(0, d + 1)], { featureShape: [d], batchSize: 4 })),
    ).rejects.toThrow(/ended inside a row/);
    await expect(
      collect(streamBatches([data.subarray(0, d), new Float32Array(d)], { featureShape: [d], batchSize: 4 })),
    ).rejects.toThrow(DatasetError);
    await expect(
      collect(streamBatches([data], { featureShape: [d], batchSize: 4, labels: new Uint8Array(3) })),
    ).rejects.toThrow(/labels/);
    await expect(
      collect(streamBatches([data.subarray(0, 2 * d)], { featureShape: [d], batchSize: 4, labels: new Uint8Array(3) })),
    ).rejects.toThrow(/rows and labels/);
  });
});
