import { describe, expect, it } from 'vitest';
import { DatasetError, IdxFormatError } from './errors.js';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES, loadFashionMnistFromUrl } from './fashion-mnist.js';
import { readIdx, writeIdx } from './idx.js';
import { type FetchLike, imageDatasetFromIdx, loadMnistFromUrl, MNIST_CLASS_NAMES, MNIST_FILES } from './mnist.js';

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A small MNIST-shaped split: image i has every pixel equal to (7·i + 3) mod 256, label i mod 10. */
function fakeSplit(n: number) {
  const images = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < n; i++) images.fill((7 * i + 3) % 256, i * 784, (i + 1) * 784);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return {
    images,
    labels,
    imageBytes: writeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: images }),
    labelBytes: writeIdx({ dtype: 'uint8', shape: [n], data: labels }),
  };
}

/** A fetch that serves a fixed map of URLs and 404s everything else, recording what was asked. */
function fakeFetch(files: Record<string, Uint8Array>, asked: string[] = []): FetchLike {
  return async (url) => {
    asked.push(url);
    const body = files[url];
    return {
      ok: body !== undefined,
      status: body === undefined ? 404 : 200,
      statusText: body === undefined ? 'Not Found' : 'OK',
      arrayBuffer: async () => (body ?? new Uint8Array(0)).slice().buffer,
    };
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('loadMnistFromUrl', () => {
  it('fetches and decodes gzipped files with the official names', async () => {
    const split = fakeSplit(25);
    const asked: string[] = [];
    const fetch = fakeFetch(
      {
        'https://h/mnist/t10k-images-idx3-ubyte.gz': await gzip(split.imageBytes),
        'https://h/mnist/t10k-labels-idx1-ubyte.gz': await gzip(split.labelBytes),
      },
      asked,
    );
    const mnist = await loadMnistFromUrl('https://h/mnist', { split: 'test', fetch, gzipped: true });
    expect(asked.sort()).toEqual([
      `https://h/mnist/${MNIST_FILES.test.images}.gz`,
      `https://h/mnist/${MNIST_FILES.test.labels}.gz`,
    ]);
    expect(mnist.shape).toEqual([25, 28, 28]);
    expect(mnist.images).toEqual(split.images);
    expect(mnist.labels).toEqual(split.labels);
    expect(mnist.classNames).toEqual(MNIST_CLASS_NAMES);
  });

  it('accepts plain files too', async () => {
    const split = fakeSplit(3);
    const fetch = fakeFetch({
      '/d/train-images-idx3-ubyte': split.imageBytes,
      '/d/train-labels-idx1-ubyte': split.labelBytes,
    });
    const mnist = await loadMnistFromUrl('/d/', { split: 'train', fetch });
    expect(mnist.shape).toEqual([3, 28, 28]);
    expect(Array.from(mnist.labels)).toEqual([0, 1, 2]);
  });

  it('refuses a download above maxBytes before reading its body (Content-Length), and after (no header)', async () => {
    const split = fakeSplit(4);
    let bodiesRead = 0;
    const files: Record<string, Uint8Array> = {
      '/x/t10k-images-idx3-ubyte': split.imageBytes,
      '/x/t10k-labels-idx1-ubyte': split.labelBytes,
    };
    const withLength: FetchLike = async (url) => ({
      ok: true,
      status: 200,
      headers: { get: (name) => (name.toLowerCase() === 'content-length' ? String(files[url]!.length) : null) },
      arrayBuffer: async () => {
        bodiesRead++;
        return files[url]!.slice().buffer;
      },
    });
    // The images file (16 + 4·784 bytes) is above the bound, the labels file (8 + 4) is not.
    const maxBytes = split.imageBytes.length - 1;
    const e = await rejection(loadMnistFromUrl('/x', { split: 'test', fetch: withLength, maxBytes }));
    expect(e).toBeInstanceOf(DatasetError);
    expect([(e as DatasetError).found, (e as DatasetError).source]).toEqual([
      `Content-Length ${split.imageBytes.length}`,
      '/x/t10k-images-idx3-ubyte',
    ]);
    expect(bodiesRead).toBeLessThanOrEqual(1); // at most the labels' body, never the images'
    const late = await rejection(loadMnistFromUrl('/x', { split: 'test', fetch: fakeFetch(files), maxBytes }));
    expect((late as DatasetError).found).toBe(`${split.imageBytes.length} bytes`);
  });

  it('reports HTTP failures, corrupt files and mismatched pairs', async () => {
    const split = fakeSplit(4);
    const missing = await rejection(loadMnistFromUrl('/x', { split: 'test', fetch: fakeFetch({}) }));
    expect(missing).toBeInstanceOf(DatasetError);
    expect((missing as DatasetError).found).toBe('404 Not Found');

    const corrupt = fakeFetch({
      '/x/t10k-images-idx3-ubyte': split.imageBytes.subarray(0, 100),
      '/x/t10k-labels-idx1-ubyte': split.labelBytes,
    });
    const e = await rejection(loadMnistFromUrl('/x', { split: 'test', fetch: corrupt }));
    expect(e).toBeInstanceOf(IdxFormatError);
    expect((e as IdxFormatError).source).toBe('/x/t10k-images-idx3-ubyte');

    const fewer = fakeFetch({
      '/x/t10k-images-idx3-ubyte': split.imageBytes,
      '/x/t10k-labels-idx1-ubyte': fakeSplit(3).labelBytes,
    });
    const m = await rejection(loadMnistFromUrl('/x', { split: 'test', fetch: fewer }));
    expect(m).toBeInstanceOf(DatasetError);
    expect((m as DatasetError).expected).toBe('uint8 [4] (one label per image)');
  });

  it('rejects an unknown split', async () => {
    const e = await rejection(loadMnistFromUrl('/x', { split: 'valid' as 'test', fetch: fakeFetch({}) }));
    expect(e).toBeInstanceOf(DatasetError);
  });
});

describe('loadFashionMnistFromUrl', () => {
  it('reads the file names this package ships and names the classes', async () => {
    const split = fakeSplit(10);
    const fetch = fakeFetch({
      [`/f/${FASHION_MNIST_FILES.train.images}`]: await gzip(split.imageBytes),
      [`/f/${FASHION_MNIST_FILES.train.labels}`]: await gzip(split.labelBytes),
    });
    const fashion = await loadFashionMnistFromUrl('/f', { split: 'train', fetch });
    expect(fashion.shape).toEqual([10, 28, 28]);
    expect(fashion.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(fashion.classNames[fashion.labels[9]!]).toBe('Ankle boot');
  });
});

describe('imageDatasetFromIdx', () => {
  const { imageBytes, labelBytes } = fakeSplit(5);
  const check = { fn: 'test', classNames: MNIST_CLASS_NAMES };

  it('checks dtype, shape, pairing, label range and count', () => {
    const images = readIdx(imageBytes);
    const labels = readIdx(labelBytes);
    expect(imageDatasetFromIdx(images, labels, { ...check, count: 5 }).shape).toEqual([5, 28, 28]);
    expect(() => imageDatasetFromIdx(images, labels, { ...check, count: 6 })).toThrow(/official split size/);
    expect(() => imageDatasetFromIdx(labels, labels, check)).toThrow(DatasetError);
    const wide = readIdx(writeIdx({ dtype: 'uint8', shape: [5, 28, 27], data: new Uint8Array(5 * 28 * 27) }));
    expect(() => imageDatasetFromIdx(wide, labels, check)).toThrow(/uint8 \[n, 28, 28\]/);
    const bad = readIdx(writeIdx({ dtype: 'uint8', shape: [5], data: new Uint8Array([0, 1, 10, 2, 3]) }));
    const e = (() => {
      try {
        imageDatasetFromIdx(images, bad, check);
      } catch (err) {
        return err as DatasetError;
      }
    })();
    expect(e).toBeInstanceOf(DatasetError);
    expect([e?.expected, e?.found]).toEqual(['a class index in 0..9', '10']);
    const asInt8 = readIdx(writeIdx({ dtype: 'int8', shape: [5], data: new Int8Array(5) }));
    expect(() => imageDatasetFromIdx(images, asInt8, check)).toThrow(/labels do not match/);
  });
});
