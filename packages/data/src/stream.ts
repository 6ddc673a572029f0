/**
 * Batches from a stream of rows or arbitrary chunks, for data too large to hold in memory: memory stays
 * bounded by one batch buffer, the optional shuffle buffer, one partial row and the chunk being read.
 */

import { tensor, tensor1d } from '@tensorflow/tfjs-core';
import { type Batch, checkInt } from './batches.js';
import type { FeatureArray, LabelArray } from './dataset.js';
import { DatasetError } from './errors.js';
import { checkSeed, deriveSeed, Prng } from './prng.js';
import { type RowWriter, rowWriter, type TransformOptions } from './transforms.js';

/** Options of {@link streamBatches}. */
export interface StreamOptions extends TransformOptions {
  /** Shape of one example, e.g. [28, 28]; a row has d = ∏ featureShape values. */
  featureShape: readonly number[];
  /** Examples per batch, an integer ≥ 1. */
  batchSize: number;
  /** Drop a last, smaller batch (default false). */
  dropLast?: boolean;
  /** x as [batch, d] (default true) or [batch, ...featureShape]. */
  flatten?: boolean;
  /**
   * Rows held in a shuffle buffer (tf.data's `shuffle(bufferSize)`): each incoming row replaces a uniformly
   * chosen buffered row, which goes to the batch; at the end the rest leave in random order. 0 (default)
   * keeps stream order. A buffer ≥ the number of rows gives a uniform permutation.
   */
  shuffleBufferSize?: number;
  /** Seed of the shuffle buffer and of dynamic binarisation (default 0). */
  seed?: number;
  /** Labels by stream position (row r has label labels[r]); small enough to keep in memory. */
  labels?: LabelArray;
}

/** What {@link streamBatches} reads: typed-array chunks of any length, all of one type, rows concatenated. */
export type RowSource = AsyncIterable<FeatureArray> | Iterable<FeatureArray>;

/**
 * Turns a stream of feature values into tensor batches. Chunks may be single rows, many rows, or cut
 * anywhere (a row split across chunks is reassembled). Batch tensors are made one at a time as the consumer
 * asks, so breaking out of the loop leaks nothing; the consumer disposes each batch. `indices` holds each
 * example's position in the stream.
 *
 * @throws {DatasetError} at the call for invalid options; while iterating for a chunk of another type,
 *   a stream that ends inside a row, or labels that do not match the number of rows.
 * @example
 * async function* chunksOfBytes() { // e.g. a file read piece by piece: 300 images of 28 × 28 bytes, 100 at a time
 *   for (let i = 0; i < 3; i++) yield new Uint8Array(100 * 28 * 28).fill(i * 100);
 * }
 * for await (const batch of streamBatches(chunksOfBytes(), { featureShape: [28, 28], batchSize: 128, shuffleBufferSize: 10_000 })) {
 *   tf.dispose(batch); // after a training step on batch.x: [128, 784], values in [0, 1]
 * }
 */
export function streamBatches(source: RowSource, options: StreamOptions): AsyncGenerator<Batch> {
  const fn = 'streamBatches';
  if (options === null || typeof options !== 'object') {
    throw new DatasetError(fn, 'missing options', '{ featureShape, batchSize, ... }', String(options));
  }
  const { featureShape, dropLast = false, flatten = true, shuffleBufferSize = 0, seed = 0, labels } = options;
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new DatasetError(fn, 'invalid source', 'an (async) iterable of Uint8Array or Float32Array', String(source));
  }
  if (
    !Array.isArray(featureShape) ||
    featureShape.length === 0 ||
    featureShape.some((s) => !Number.isSafeInteger(s) || s < 1)
  ) {
    throw new DatasetError(fn, 'invalid featureShape', 'a non-empty array of integers ≥ 1', String(featureShape));
  }
  const batchSize = checkInt(fn, 'batchSize', options.batchSize, 1);
  checkInt(fn, 'shuffleBufferSize', shuffleBufferSize, 0);
  const baseSeed = checkSeed(fn, seed);
  if (labels !== undefined && !(labels instanceof Uint8Array || labels instanceof Int32Array)) {
    throw new DatasetError(fn, 'invalid labels', 'a Uint8Array or Int32Array', String(labels));
  }
  const d = featureShape.reduce((a, b) => a * b, 1);
  const noise = new Prng(deriveSeed(baseSeed, 2));
  rowWriter(fn, 'uint8', d, options, noise); // validates the transform options now, not at the first chunk
  const shuffler = new Prng(deriveSeed(baseSeed, 3));
  const outShape = flatten ? [d] : [...featureShape];
  return generate();

  async function* generate(): AsyncGenerator<Batch> {
    let write: RowWriter | undefined;
    let partial: FeatureArray | undefined; // a row split across chunks
    let partialFill = 0;
    let buffer: FeatureArray | undefined; // shuffle buffer, [shuffleBufferSize, d]
    const bufferRows = new Float64Array(shuffleBufferSize); // stream position of each buffered row
    let buffered = 0;
    let rows = 0; // rows received
    let values = new Float32Array(batchSize * d); // [batchSize, d]
    let indices = new Int32Array(batchSize);
    let filled = 0;

    // Writes one row (stream position r) into the batch being filled.
    const emit = (src: FeatureArray, offset: number, r: number) => {
      write!(src, offset, values, filled * d);
      indices[filled++] = r;
    };
    const take = (size: number): Batch => {
      const x = tensor(size === batchSize ? values : values.subarray(0, size * d), [size, ...outShape], 'float32');
      const idx = size === batchSize ? indices : indices.slice(0, size);
      values = new Float32Array(batchSize * d);
      indices = new Int32Array(batchSize);
      filled = 0;
      if (!labels) return { x, indices: idx };
      return {
        x,
        labels: tensor1d(
          Int32Array.from(idx, (r) => labels[r]!),
          'int32',
        ),
        indices: idx,
      };
    };
    // Accepts the next row of the stream, through the shuffle buffer when there is one.
    const accept = (src: FeatureArray, offset: number) => {
      const r = rows++;
      if (labels && r >= labels.length) {
        throw new DatasetError(fn, 'more rows than labels', `at most ${labels.length} rows`, `row ${r}`);
      }
      if (shuffleBufferSize === 0) return emit(src, offset, r);
      if (buffered < shuffleBufferSize) {
        buffer!.set(src.subarray(offset, offset + d), buffered * d);
        bufferRows[buffered++] = r;
        return;
      }
      const j = shuffler.nextInt(shuffleBufferSize);
      emit(buffer!, j * d, bufferRows[j]!);
      buffer!.set(src.subarray(offset, offset + d), j * d);
      bufferRows[j] = r;
    };

    for await (const chunk of source) {
      if (!(chunk instanceof Uint8Array || chunk instanceof Float32Array)) {
        throw new DatasetError(fn, 'invalid chunk', 'a Uint8Array or Float32Array', String(chunk));
      }
      if (write === undefined) {
        const dtype = chunk instanceof Uint8Array ? 'uint8' : 'float32';
        write = rowWriter(fn, dtype, d, options, noise);
        partial = dtype === 'uint8' ? new Uint8Array(d) : new Float32Array(d);
        buffer = dtype === 'uint8' ? new Uint8Array(shuffleBufferSize * d) : new Float32Array(shuffleBufferSize * d);
      } else if (chunk.constructor !== partial!.constructor) {
        throw new DatasetError(fn, 'chunk type changed', partial!.constructor.name, chunk.constructor.name);
      }
      let pos = 0;
      while (pos < chunk.length) {
        if (partialFill > 0 || chunk.length - pos < d) {
          const n = Math.min(d - partialFill, chunk.length - pos);
          partial!.set(chunk.subarray(pos, pos + n), partialFill);
          partialFill += n;
          pos += n;
          if (partialFill < d) break;
          partialFill = 0;
          accept(partial!, 0);
        } else {
          accept(chunk, pos);
          pos += d;
        }
        if (filled === batchSize) yield take(batchSize);
      }
    }
    if (partialFill > 0) {
      throw new DatasetError(
        fn,
        'stream ended inside a row',
        `a multiple of ${d} values`,
        `${rows} rows and ${partialFill} values`,
      );
    }
    if (labels && rows !== labels.length) {
      throw new DatasetError(fn, 'rows and labels differ in number', `${labels.length} rows`, `${rows} rows`);
    }
    // Drain the shuffle buffer in random order.
    const rest = shuffler.permutation(buffered);
    for (const j of rest) {
      emit(buffer!, j * d, bufferRows[j]!);
      if (filled === batchSize) yield take(batchSize);
    }
    if (filled > 0 && !dropLast) yield take(filled);
  }
}
