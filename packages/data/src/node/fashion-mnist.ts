/// <reference types="node" />
import { join } from 'node:path';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES } from '../fashion-mnist.js';
import { checkSplit, type ImageDataset, MNIST_SPLIT_SIZES, type Split } from '../mnist.js';
import { packageDataDir } from './package-data-dir.js';
import { readImageSplit } from './read-idx-path.js';

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  split: Split;
  /**
   * Folder holding the four files of `FASHION_MNIST_FILES`. By default the `data/` folder of the
   * `@latentlab/fashion-mnist` package (an optional peer dependency: `npm install @latentlab/fashion-mnist`).
   */
  dir?: string;
}

/** The install line quoted when the package is missing. */
const INSTALL = 'npm install @latentlab/fashion-mnist';

/**
 * The `data/` folder of the installed `@latentlab/fashion-mnist` package, resolved from `from` (this module by
 * default; a test may resolve from elsewhere).
 *
 * @throws {DatasetError} the package is not installed; the message carries the install line.
 * @example
 * ```ts
 * fashionMnistDataDir(); // '/app/node_modules/@latentlab/fashion-mnist/data'
 * ```
 */
export function fashionMnistDataDir(fn = 'fashionMnistDataDir', from: string = import.meta.url): string {
  return packageDataDir(fn, '@latentlab/fashion-mnist', INSTALL, from);
}

/**
 * Loads one split of Fashion-MNIST in Node from the gzipped IDX files of the `@latentlab/fashion-mnist` package
 * (or `dir`): 60 000 training or 10 000 test images `[n, 28, 28]` with labels 0..9 and their class names. The
 * split rule is documented in that package's README (per class: first 6 000 train, last 1 000 test).
 *
 * @throws {DatasetError} `@latentlab/fashion-mnist` not installed (the error names the install line), files
 *   missing, wrong split size, labels that do not fit.
 * @throws {IdxFormatError | GzipError} a file is corrupt.
 * @example
 * ```ts
 * import { loadFashionMnist } from '@latentlab/data/node';
 * const test = await loadFashionMnist({ split: 'test' });
 * test.classNames[test.labels[0]!]; // 'T-shirt/top'
 * ```
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions): Promise<ImageDataset> {
  const fn = 'loadFashionMnist';
  const split = checkSplit(fn, options.split);
  const dir = options.dir ?? fashionMnistDataDir(fn);
  const files = FASHION_MNIST_FILES[split];
  const paths = { images: join(dir, files.images), labels: join(dir, files.labels) };
  return readImageSplit(fn, paths, { classNames: FASHION_MNIST_CLASS_NAMES, count: MNIST_SPLIT_SIZES[split] });
}
