/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { DatasetError } from '../errors.js';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES } from '../fashion-mnist.js';
import { type ImageDataset, imageDatasetFromIdx, MNIST_SPLIT_SIZES, type Split } from '../mnist.js';
import { readIdxPath } from './read-idx-path.js';

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  split: Split;
}

/** The folder of the gzipped IDX files shipped with the package (`src/node/` and `dist/node/` are both two levels down). */
export const FASHION_MNIST_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/**
 * Loads one split of Fashion-MNIST in Node from the gzipped IDX files shipped with this package:
 * 60 000 training or 10 000 test images `[n, 28, 28]` with labels 0..9 and their class names. The split
 * rule is documented in `fashion-mnist.ts` and the README (per class: first 6 000 train, last 1 000 test).
 *
 * @example
 * ```ts
 * import { loadFashionMnist } from '@latentlab/data/node';
 * const test = await loadFashionMnist({ split: 'test' });
 * test.classNames[test.labels[0]!]; // 'T-shirt/top'
 * ```
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions): Promise<ImageDataset> {
  const fn = 'loadFashionMnist';
  const { split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(fn, 'unknown split', "'train' or 'test'", JSON.stringify(split));
  }
  const files = FASHION_MNIST_FILES[split];
  const paths = { images: `${FASHION_MNIST_DIR}${files.images}`, labels: `${FASHION_MNIST_DIR}${files.labels}` };
  const [images, labels] = await Promise.all([readIdxPath(paths.images, { fn }), readIdxPath(paths.labels, { fn })]);
  return imageDatasetFromIdx(images, labels, {
    fn,
    classNames: FASHION_MNIST_CLASS_NAMES,
    count: MNIST_SPLIT_SIZES[split],
    sources: paths,
  });
}
