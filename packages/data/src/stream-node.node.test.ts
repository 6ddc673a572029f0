import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Batch } from './batches.js';
import { DatasetError, IdxFormatError } from './errors.js';
import { writeIdx } from './idx.js';
import { mnistDataDir } from './node/mnist.js';
import { readIdxPath } from './node/read-idx-path.js';
import { streamIdx, streamIdxBatches } from './stream-node.js';

const dir = mkdtempSync(join(tmpdir(), 'latentlab-stream-'));
const n = 37;
const pixels = Uint8Array.from({ length: n * 5 * 4 }, (_, k) => (k * 13 + (k >> 3)) % 256);
const labels = Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10);
const imagesBytes = writeIdx({ dtype: 'uint8', shape: [n, 5, 4], data: pixels });
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const plain = write('images', imagesBytes);
const gz = write('images.gz', gzipSync(imagesBytes));
const labelsPath = write('labels', writeIdx({ dtype: 'uint8', shape: [n], data: labels }));

async function concat(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number[]; count: number }> {
  const bytes: number[] = [];
  let count = 0;
  for await (const c of chunks) {
    bytes.push(...c);
    count++;
  }
  return { bytes, count };
}

describe('streamIdx', () => {
  it.each([
    ['plain', plain],
    ['gzipped', gz],
  ])('yields exactly the data bytes of a %s file, chunk by chunk', async (_, path) => {
    const { shape, chunks } = await streamIdx(path, { chunkBytes: 64 });
    expect(shape).toEqual([n, 5, 4]);
    const got = await concat(chunks);
    expect(got.bytes).toEqual(Array.from(pixels));
    expect(got.count).toBeGreaterThan(1);
  });

  it('reports truncated data, trailing bytes, wrong magic and non-uint8 data with typed errors', async () => {
    const truncated = write('truncated', imagesBytes.subarray(0, imagesBytes.length - 3));
    await expect(streamIdx(truncated).then((s) => concat(s.chunks))).rejects.toThrow(IdxFormatError);
    const trailing = write('trailing', Uint8Array.of(...imagesBytes, 1, 2));
    await expect(streamIdx(trailing).then((s) => concat(s.chunks))).rejects.toThrow(/trailing/);
    await expect(streamIdx(write('magic', Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0)))).rejects.toThrow(/magic/);
    const floats = write('floats', writeIdx({ dtype: 'float32', shape: [2], data: new Float32Array(2) }));
    await expect(streamIdx(floats)).rejects.toThrow(DatasetError);
    await expect(streamIdx(join(dir, 'missing'))).rejects.toThrow(/streamIdx.*open/);
    await expect(streamIdx(plain, { chunkBytes: 0 })).rejects.toThrow(/chunkBytes/);
  });
});

describe('streamIdxBatches', () => {
  it('streams images with their labels into batches equal to the in-memory data, without leaking', async () => {
    const out = await assertNoLeaks(async () => {
      const rows: number[][] = [];
      const ys: number[] = [];
      for await (const b of await streamIdxBatches(gz, { batchSize: 8, labelsPath, chunkBytes: 50, flatten: false })) {
        expect(b.x.shape.slice(1)).toEqual([5, 4]);
        const x = Array.from(await b.x.data());
        for (let k = 0; k < b.indices.length; k++) rows.push(x.slice(k * 20, (k + 1) * 20));
        ys.push(...(await b.labels!.data()));
        tf.dispose(b as Batch);
      }
      return { rows, ys };
    });
    expect(out.rows.flat()).toEqual(Array.from(pixels, (v) => Math.fround(v / 255)));
    expect(out.ys).toEqual(Array.from(labels));
  });

  it('rejects a labels file of another length', async () => {
    const short = write('short-labels', writeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) }));
    await expect(streamIdxBatches(plain, { batchSize: 4, labelsPath: short })).rejects.toThrow(/labels do not match/);
  });

  it('streams the real MNIST test images identically to the whole-file reader', async () => {
    const path = join(mnistDataDir(), 't10k-images-idx3-ubyte');
    const whole = await readIdxPath(path);
    let offset = 0;
    let same = true;
    for await (const b of await streamIdxBatches(path, { batchSize: 1000, scale: 'none' })) {
      const x = await b.x.data();
      for (let k = 0; k < x.length && same; k++) same = x[k] === whole.data[offset + k];
      offset += x.length;
      tf.dispose(b as Batch);
    }
    expect(same).toBe(true);
    expect(offset).toBe(10_000 * 784);
  });
});
