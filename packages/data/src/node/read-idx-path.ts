/// <reference types="node" />
import { DatasetError } from '../errors.js';
import { checkMaxBytes, readIdxFile } from '../gzip.js';
import type { IdxArray } from '../idx.js';
import { type ImageDataset, type ImageDatasetCheck, imageDatasetFromIdx } from '../mnist.js';
import { readRegularFile } from './read-regular-file.js';

/** Options of {@link readIdxPath}. */
export interface ReadIdxPathOptions {
  /**
   * Most bytes the file may have, and its data once decompressed (`DEFAULT_MAX_BYTES`, 256 MiB, by default):
   * the file's size and the size its IDX header declares are checked against it before they are read or
   * allocated.
   */
  maxBytes?: number;
  /** Public function to name in errors (default `'readIdxPath'`). */
  fn?: string;
}

/**
 * Reads an IDX file from disk, plain or gzipped (recognised by its magic bytes), and decodes it. The path must
 * name a regular file (not a directory, FIFO or device) of at most `maxBytes`; gzipped data is decompressed
 * into the size its IDX header declares, never beyond (see `readIdxFile`). uint8 data of a plain file is a
 * zero-copy view into the file's bytes.
 *
 * @throws {DatasetError} the file cannot be read, is not a regular file or is larger than `maxBytes`
 *   (`source` is the path).
 * @throws {GzipError | IdxFormatError} the bytes are not valid (gzipped) IDX, or declare more than `maxBytes`.
 * @example
 * ```ts
 * import { join } from 'node:path';
 * const { shape } = await readIdxPath(join(mnistDataDir(), 't10k-labels-idx1-ubyte')); // [10000]
 * ```
 */
export async function readIdxPath(path: string, options: ReadIdxPathOptions = {}): Promise<IdxArray> {
  const { fn = 'readIdxPath', maxBytes } = options;
  if (typeof path !== 'string') throw new DatasetError(fn, 'bad path', 'a file path string', typeof path);
  const bound = checkMaxBytes(fn, maxBytes);
  const bytes = await readRegularFile(fn, path, bound);
  return readIdxFile(bytes, { source: path, maxBytes: bound });
}

/**
 * Reads an images file and a labels file (IDX, plain or gzipped) at once and checks them together as one split
 * ({@link imageDatasetFromIdx}): what every MNIST-format loader in Node does once it knows its two paths.
 *
 * @example
 * const test = await readImageSplit('loadMnist', paths, { classNames: MNIST_CLASS_NAMES, count: 10_000 });
 */
export async function readImageSplit(
  fn: string,
  paths: { images: string; labels: string },
  check: Omit<ImageDatasetCheck, 'fn' | 'sources'>,
): Promise<ImageDataset> {
  // Both read at once; when both fail, the images file's error is the one reported (deterministically).
  const [images, labels] = await Promise.allSettled([
    readIdxPath(paths.images, { fn }),
    readIdxPath(paths.labels, { fn }),
  ]);
  if (images.status === 'rejected') throw images.reason;
  if (labels.status === 'rejected') throw labels.reason;
  return imageDatasetFromIdx(images.value, labels.value, { ...check, fn, sources: paths });
}
