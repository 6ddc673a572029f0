/**
 * Mini-batches of a {@link Dataset} as tensors on the active tfjs backend, with per-epoch seeded
 * shuffling and the transforms of `transforms.ts` applied while the rows are gathered.
 */

import { checkInteger } from '@latentlab/core';
import { type Tensor, type Tensor1D, tensor, tensor1d } from '@tensorflow/tfjs-core';
import { checkDataset, type Dataset, datasetSize, featureSize } from './dataset.js';
import { DatasetError } from './errors.js';
import { checkSeed, deriveSeed, Prng } from './prng.js';
import { rowWriter, type TransformOptions } from './transforms.js';

/** Options of {@link batches}. */
export interface BatchOptions extends TransformOptions {
  /** Examples per batch, an integer ≥ 1. */
  batchSize: number;
  /** Visit the examples in a seeded random order (default true); false keeps dataset order. */
  shuffle?: boolean;
  /** Base seed of the shuffle and of dynamic binarisation (default 0). */
  seed?: number;
  /** Epoch number (default 0): the order and the binarisation noise are drawn from (seed, epoch). */
  epoch?: number;
  /** Drop the last batch when it has fewer than batchSize examples (default false). */
  dropLast?: boolean;
  /** x as [batch, d] (default true) or [batch, ...featureShape]. */
  flatten?: boolean;
}

/**
 * One mini-batch. **The caller owns its tensors and must dispose them** (`x.dispose()`,
 * `labels?.dispose()`, or `tf.dispose(batch)`), typically right after the training step.
 */
export type Batch = {
  /** Features, float32: [batch, d] or [batch, ...featureShape]. */
  x: Tensor;
  /** Labels as int32 [batch], when the dataset has labels. */
  labels?: Tensor1D;
  /** Row of each example in the dataset (or the ordinal in a stream). */
  indices: Int32Array;
}; // a type alias, not an interface, so that `tf.dispose(batch)` accepts it as a TensorContainer

// Purposes folded into the seed, so the shuffle and the binarisation noise are independent streams.
const STREAM_ORDER = 1;
const STREAM_NOISE = 2;

/** Checks an integer option ≥ `min` with core's `checkInteger`, raising data's {@link DatasetError}. */
export const checkInt = (fn: string, name: string, value: unknown, min: number): number =>
  checkInteger(fn, name, value, min, DatasetError);

/**
 * The order in which epoch `epoch` visits the n examples: a Fisher–Yates permutation drawn from
 * splitmix32 seeded by deriveSeed(seed, epoch). Same (seed, epoch) ⇒ same order; another epoch ⇒ another order.
 *
 * @example
 * epochOrder(5, 42, 0); // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  checkInt('epochOrder', 'n', n, 0);
  checkInt('epochOrder', 'epoch', epoch, 0);
  return new Prng(deriveSeed(checkSeed('epochOrder', seed), epoch, STREAM_ORDER)).permutation(n);
}

/** Number of batches {@link batches} yields for n examples: ⌈n / batchSize⌉, or ⌊n / batchSize⌋ with dropLast. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  checkInt('batchCount', 'n', n, 0);
  checkInt('batchCount', 'batchSize', batchSize, 1);
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Iterates over one epoch of mini-batches. Each batch gathers its rows (stored bytes or floats) straight
 * into a fresh float32 buffer while applying the transform (scale /255, standardisation or binarisation),
 * then makes one tensor from it: one pass over the batch's values and one upload, no intermediate tensors.
 * The buffer is not reused because the cpu and webgl backends keep a reference to the array given to
 * `tf.tensor` instead of copying it; a reused buffer would change earlier batches.
 *
 * Tensors are created lazily, one batch per `next()`: stopping early leaks nothing. The consumer disposes
 * every batch it receives (see {@link Batch}).
 *
 * @throws {DatasetError} for an invalid dataset or option (batchSize < 1, non-integer seed or epoch, a
 *   standardizer of the wrong length, scale 'unit' on float32 data, ...), before any tensor is made.
 * @example
 * const train = createDataset({ name: 'pixels', x: Uint8Array.from({ length: 512 * 784 }, (_, i) => (i * 37) % 256), shape: [512, 784] });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   for (const batch of batches(train, { batchSize: 128, seed: 1, epoch, binarize: 'dynamic' })) {
 *     const loss = tf.mean(batch.x); // a training step here; batch.x: [128, 784], values 0/1
 *     tf.dispose([loss, batch.x]);
 *   }
 * }
 */
export function batches(dataset: Dataset, options: BatchOptions): IterableIterator<Batch> {
  const fn = 'batches';
  checkDataset(fn, dataset);
  if (options === null || typeof options !== 'object') {
    throw new DatasetError(fn, 'missing options', '{ batchSize, ... }', String(options));
  }
  const { shuffle = true, seed = 0, epoch = 0, dropLast = false, flatten = true } = options;
  const batchSize = checkInt(fn, 'batchSize', options.batchSize, 1);
  const baseSeed = checkSeed(fn, seed);
  checkInt(fn, 'epoch', epoch, 0);
  const n = datasetSize(dataset);
  const d = featureSize(dataset);
  const dtype = dataset.x instanceof Uint8Array ? 'uint8' : 'float32';
  const write = rowWriter(fn, dtype, d, options, new Prng(deriveSeed(baseSeed, epoch, STREAM_NOISE)));
  const order = shuffle ? new Prng(deriveSeed(baseSeed, epoch, STREAM_ORDER)).permutation(n) : null;
  const count = batchCount(n, batchSize, dropLast);
  const featureShape = flatten ? [d] : dataset.shape.slice(1);
  return generate();

  function* generate(): Generator<Batch> {
    for (let b = 0; b < count; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, n - start);
      const indices = new Int32Array(size);
      for (let k = 0; k < size; k++) indices[k] = order ? order[start + k]! : start + k;
      yield makeBatch(dataset, indices, d, featureShape, write);
    }
  }
}

/** Gathers `indices` through `write` into a new float32 buffer and uploads it (and the labels) once. */
export function makeBatch(
  dataset: Dataset,
  indices: Int32Array,
  d: number,
  featureShape: readonly number[],
  write: ReturnType<typeof rowWriter>,
): Batch {
  const size = indices.length;
  const values = new Float32Array(size * d); // [size, d]
  for (let k = 0; k < size; k++) write(dataset.x, indices[k]! * d, values, k * d);
  let labels: Int32Array | undefined;
  if (dataset.labels) {
    labels = new Int32Array(size);
    for (let k = 0; k < size; k++) labels[k] = dataset.labels[indices[k]!]!;
  }
  const x = tensor(values, [size, ...featureShape], 'float32');
  return labels ? { x, labels: tensor1d(labels, 'int32'), indices } : { x, indices };
}
