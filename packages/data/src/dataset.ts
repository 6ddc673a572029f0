/**
 * The in-memory dataset: plain typed arrays, row-major, compact. MNIST's 60 000 × 784 pixels stay one
 * 47 MB `Uint8Array` until a mini-batch is made ({@link batches}); nothing here touches tfjs.
 */

import { DatasetError } from './errors.js';
import type { ImageDataset } from './mnist.js';

/** Stored features: bytes (pixels, 0..255) or float32 values. */
export type FeatureArray = Uint8Array | Float32Array;
/** Integer class labels, one per example. */
export type LabelArray = Uint8Array | Int32Array;

/**
 * A dataset of n examples. Row i occupies `x[i·d … (i+1)·d)` with d = ∏ shape[1:] (row-major).
 * Create it with {@link createDataset}, which checks every invariant below.
 */
export interface Dataset {
  /** A short name for logs and plots, e.g. `"mnist-train"`. */
  readonly name: string;
  /** Features, row-major: length n·d. Bytes stay bytes (4× smaller than float32). */
  readonly x: FeatureArray;
  /** [n, ...featureShape], e.g. [60000, 28, 28]. */
  readonly shape: readonly number[];
  /** Class index of each example, length n. */
  readonly labels?: LabelArray;
  /** Names of the classes, indexed by label; every label is < classNames.length. */
  readonly classNames?: readonly string[];
  /** A continuous per-example coordinate (e.g. the position along a Swiss roll), length n, for colouring plots. */
  readonly t?: Float32Array;
}

/** What {@link createDataset} takes: the fields of a {@link Dataset}. */
export interface DatasetInit {
  name: string;
  x: FeatureArray;
  shape: readonly number[];
  labels?: LabelArray;
  classNames?: readonly string[];
  t?: Float32Array;
}

const kind = (v: unknown): string =>
  v === null ? 'null' : ArrayBuffer.isView(v) ? v.constructor.name : Array.isArray(v) ? 'Array' : typeof v;

/**
 * Builds a {@link Dataset} after checking it: `x` is a Uint8Array or Float32Array whose length is
 * ∏ shape (and, for float32, every value finite); shape is [n ≥ 0, d₁ ≥ 1, …]; labels (Uint8Array or
 * Int32Array) and `t` (Float32Array) have length n; labels are ≥ 0 and, with classNames, < classNames.length.
 * The arrays are kept, not copied (the dataset takes them over: don't mutate them afterwards); the
 * returned object is frozen.
 *
 * @throws {DatasetError} naming `createDataset`, what was expected and what was found.
 * @example
 * const ds = createDataset({ name: 'toy', x: new Uint8Array([0, 255, 128, 64]), shape: [2, 2], labels: new Uint8Array([0, 1]) });
 * datasetSize(ds);  // 2
 * featureSize(ds);  // 2
 */
export function createDataset(init: DatasetInit): Dataset {
  const fn = 'createDataset';
  const { name, x, shape, labels, classNames, t } = init ?? ({} as DatasetInit);
  if (typeof name !== 'string' || name.length === 0) {
    throw new DatasetError(fn, 'invalid name', 'a non-empty string', JSON.stringify(name) ?? String(name));
  }
  if (!(x instanceof Uint8Array || x instanceof Float32Array) || x instanceof Uint8ClampedArray) {
    throw new DatasetError(fn, 'invalid x', 'a Uint8Array or Float32Array', kind(x));
  }
  if (
    !Array.isArray(shape) ||
    shape.length < 2 ||
    shape.some((s, i) => !Number.isSafeInteger(s) || s < (i === 0 ? 0 : 1))
  ) {
    throw new DatasetError(
      fn,
      'invalid shape',
      '[n ≥ 0, ...featureShape] of integers, feature dimensions ≥ 1',
      Array.isArray(shape) ? `[${shape.join(', ')}]` : kind(shape),
    );
  }
  const n = shape[0]!;
  const size = shape.reduce((a, b) => a * b, 1);
  if (x.length !== size) {
    throw new DatasetError(fn, 'x length does not match shape', `${size} (∏ [${shape.join(', ')}])`, String(x.length));
  }
  if (x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) {
        throw new DatasetError(fn, `non-finite feature at x[${i}]`, 'finite values', String(x[i]));
      }
    }
  }
  if (labels !== undefined) {
    if (!(labels instanceof Uint8Array || labels instanceof Int32Array) || labels instanceof Uint8ClampedArray) {
      throw new DatasetError(fn, 'invalid labels', 'a Uint8Array or Int32Array', kind(labels));
    }
    if (labels.length !== n) {
      throw new DatasetError(fn, 'labels length differs from the number of examples', String(n), String(labels.length));
    }
    const classes = classNames?.length ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const l = labels[i]!;
      if (l < 0 || l >= classes) {
        throw new DatasetError(fn, `label out of range at labels[${i}]`, `0 ≤ label < ${classes}`, String(l));
      }
    }
  }
  if (classNames !== undefined) {
    if (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string')) {
      throw new DatasetError(fn, 'invalid classNames', 'an array of strings', kind(classNames));
    }
    if (labels === undefined) throw new DatasetError(fn, 'classNames without labels', 'labels', 'undefined');
  }
  if (t !== undefined) {
    if (!(t instanceof Float32Array)) throw new DatasetError(fn, 'invalid t', 'a Float32Array', kind(t));
    if (t.length !== n)
      throw new DatasetError(fn, 't length differs from the number of examples', `${n}`, `${t.length}`);
  }
  const ds: Dataset = {
    name,
    x,
    shape: Object.freeze([...shape]),
    ...(labels !== undefined && { labels }),
    ...(classNames !== undefined && { classNames: Object.freeze([...classNames]) }),
    ...(t !== undefined && { t }),
  };
  return Object.freeze(ds);
}

/** Number of examples n = shape[0]. */
export function datasetSize(dataset: Dataset): number {
  return dataset.shape[0]!;
}

/** Features per example d = ∏ shape[1:]. */
export function featureSize(dataset: Dataset): number {
  return dataset.shape.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Checks that a value passed as a dataset is consistent (x length = ∏ shape, labels length = n), so that a
 * hand-built object fails with a typed error instead of reading past an array. Cheap: O(1).
 */
export function checkDataset(fn: string, dataset: Dataset): void {
  if (
    dataset === null ||
    typeof dataset !== 'object' ||
    !(dataset.x instanceof Uint8Array || dataset.x instanceof Float32Array) ||
    !Array.isArray(dataset.shape) ||
    dataset.shape.length < 2
  ) {
    throw new DatasetError(fn, 'invalid dataset', 'a Dataset from createDataset', kind(dataset));
  }
  const size = dataset.shape.reduce((a, b) => a * b, 1);
  if (dataset.x.length !== size) {
    throw new DatasetError(fn, 'dataset x length does not match its shape', String(size), String(dataset.x.length));
  }
  if (dataset.labels !== undefined && dataset.labels.length !== dataset.shape[0]) {
    throw new DatasetError(
      fn,
      'dataset labels length differs from n',
      `${dataset.shape[0]}`,
      `${dataset.labels.length}`,
    );
  }
}

/**
 * A new dataset holding the rows `indices` of `dataset`, in that order (features, labels and `t` copied;
 * the feature type is kept, so bytes stay bytes).
 *
 * @example
 * const mnist = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test');
 * const firstTen = subset(mnist, Int32Array.from({ length: 10 }, (_, i) => i), 'mnist-10');
 */
export function subset(dataset: Dataset, indices: ArrayLike<number>, name = dataset.name): Dataset {
  const fn = 'subset';
  checkDataset(fn, dataset);
  const n = datasetSize(dataset);
  const d = featureSize(dataset);
  const m = indices.length;
  const x = dataset.x instanceof Uint8Array ? new Uint8Array(m * d) : new Float32Array(m * d);
  const labels = dataset.labels && new (dataset.labels.constructor as typeof Int32Array)(m);
  const t = dataset.t && new Float32Array(m);
  for (let k = 0; k < m; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new DatasetError(fn, `index out of range at indices[${k}]`, `an integer in [0, ${n})`, String(i));
    }
    x.set(dataset.x.subarray(i * d, (i + 1) * d), k * d);
    if (labels) labels[k] = dataset.labels![i]!;
    if (t) t[k] = dataset.t![i]!;
  }
  return createDataset({
    name,
    x,
    shape: [m, ...dataset.shape.slice(1)],
    ...(labels && { labels }),
    ...(dataset.classNames && { classNames: dataset.classNames }),
    ...(t && { t }),
  });
}

/**
 * Wraps images with labels as loaded from IDX files (MNIST, Fashion-MNIST) as a {@link Dataset}, without
 * copying: the pixels stay the loader's Uint8Array.
 *
 * @example
 * const train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train'); // [60000, 28, 28] bytes
 */
export function datasetFromImages(images: ImageDataset, name: string): Dataset {
  return createDataset({
    name,
    x: images.images,
    shape: images.shape,
    labels: images.labels,
    classNames: images.classNames,
  });
}
