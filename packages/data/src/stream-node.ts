/// <reference types="node" />
/**
 * Streaming IDX files from disk in Node, chunk by chunk, for {@link streamBatches}: memory stays at one chunk
 * plus the batch being filled, whatever the file's size. Plain files are read through a `FileHandle`;
 * gzipped ones (recognised by their magic bytes 0x1f 0x8b) through `zlib.createGunzip`, from the descriptor that
 * was checked to be a regular file; output past the length the IDX header declares stops the stream.
 */
import { createGunzip } from 'node:zlib';
import type { Batch } from './batches.js';
import { DatasetError, GzipError, IdxFormatError } from './errors.js';
import { checkMaxBytes } from './gzip.js';
import { IDX_DTYPE_CODES } from './idx.js';
import { describeIdxLength, type ParsedIdxHeader, parseIdxHeader } from './idx-header.js';
import { readIdxPath } from './node/read-idx-path.js';
import { openRegularFile } from './node/read-regular-file.js';
import { type StreamOptions, streamBatches } from './stream.js';

/** The header of an IDX file. */
export interface IdxHeader {
  /** Only uint8 data can be streamed; the header reports what the file holds. */
  dtypeCode: number;
  shape: number[];
  /** 4 + 4·rank. */
  headerLength: number;
}

/** Options of {@link streamIdx}. */
export interface StreamIdxOptions {
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number;
}

const DEFAULT_CHUNK = 1 << 20;

/** The bytes of a file, decompressed when gzipped, in chunks of about `chunkBytes`; `onOpen` gets the file's size. */
async function* fileBytes(
  fn: string,
  path: string,
  chunkBytes: number,
  onOpen?: (size: number, gzipped: boolean) => void,
): AsyncGenerator<Uint8Array> {
  const { handle, size } = await openRegularFile(fn, path, Number.MAX_SAFE_INTEGER);
  let stream: ReturnType<typeof createGunzip> | undefined;
  try {
    const magic = new Uint8Array(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    const gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    onOpen?.(size, gzipped);
    if (!gzipped) {
      // Never past the size the file had when opened.
      for (let position = 0; position < size; ) {
        const chunk = new Uint8Array(Math.min(chunkBytes, size - position)); // fresh per chunk: consumers may keep it
        const { bytesRead: n } = await handle.read(chunk, 0, chunk.length, position);
        if (n === 0) return;
        position += n;
        yield n === chunk.length ? chunk : chunk.subarray(0, n);
      }
      return;
    }
    // From the descriptor already checked to be a regular file; zlib's chunkSize must be ≥ 64.
    stream = handle
      .createReadStream({ start: 0, end: Math.max(0, size - 1), highWaterMark: chunkBytes, autoClose: false })
      .pipe(createGunzip({ chunkSize: Math.max(64, chunkBytes) }));
    try {
      for await (const buf of stream as AsyncIterable<Buffer>)
        yield new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const code = (e as { code?: string }).code ?? String(e);
      throw new GzipError(fn, 'corrupt gzip data', 'a valid gzip stream', code, { source: path });
    }
  } finally {
    stream?.destroy();
    await handle.close();
  }
}

/**
 * Streams a uint8 IDX file: resolves with its header (read first, file closed again), and `chunks`, an async
 * generator that opens the file when iteration starts, yields the data bytes after the header in chunks of
 * about `chunkBytes`, checks that exactly ∏ shape bytes follow the header, and closes the file when done
 * or abandoned.
 *
 * @throws {DatasetError} the file cannot be opened or is not a regular file (a FIFO, a device, a directory), or
 *   its data is not uint8.
 * @throws {IdxFormatError} bad magic, dtype or rank, dims that overflow, truncated header or data, trailing bytes
 *   (for a plain file, a length that differs from the header's is reported before the data is read).
 * @example
 * import { join } from 'node:path';
 * const { shape, chunks } = await streamIdx(join(mnistDataDir(), 't10k-images-idx3-ubyte'));
 * for await (const batch of streamBatches(chunks, { featureShape: shape.slice(1), batchSize: 128 })) {
 *   tf.dispose(batch); // after a training step on batch.x
 * }
 */
export async function streamIdx(
  path: string,
  options: StreamIdxOptions = {},
): Promise<{ header: IdxHeader; shape: number[]; chunks: AsyncGenerator<Uint8Array> }> {
  const fn = 'streamIdx';
  const { chunkBytes = DEFAULT_CHUNK } = options;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
    throw new DatasetError(fn, 'invalid chunkBytes', 'an integer ≥ 1', String(chunkBytes));
  }
  // Read just enough to parse the header (at most 4 + 4·16 bytes).
  let head = new Uint8Array(0);
  let parsed: ParsedIdxHeader | undefined;
  let plainSize: number | undefined;
  for await (const chunk of fileBytes(fn, path, Math.min(chunkBytes, 1024), (size, gzipped) => {
    if (!gzipped) plainSize = size;
  })) {
    const joined = new Uint8Array(head.length + chunk.length);
    joined.set(head);
    joined.set(chunk, head.length);
    head = joined;
    parsed = parseIdxHeader(head, { fn, source: path, final: false });
    if (parsed) break;
  }
  if (!parsed) parseIdxHeader(head, { fn, source: path, final: true }); // throws "truncated header"
  const { dtype, headerLength, shape, byteLength } = parsed!;
  if (dtype !== 'uint8') {
    throw new DatasetError(
      fn,
      'only uint8 IDX data can be streamed',
      'dtype code 0x08',
      `0x${IDX_DTYPE_CODES[dtype].toString(16)} (${dtype})`,
      path,
    );
  }
  // A plain file's length is known before its data is read.
  if (plainSize !== undefined && plainSize !== byteLength) {
    const what = `${byteLength} bytes (${describeIdxLength(parsed!)})`;
    throw plainSize < byteLength
      ? new IdxFormatError(fn, 'truncated data', what, `${plainSize} bytes`, { offset: plainSize, source: path })
      : new IdxFormatError(fn, 'trailing bytes after the data', what, `${plainSize} bytes`, {
          offset: byteLength,
          source: path,
        });
  }
  const header: IdxHeader = { dtypeCode: IDX_DTYPE_CODES.uint8, shape, headerLength };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let offset = 0; // bytes of the (decompressed) file seen so far
    for await (const chunk of fileBytes(fn, path, chunkBytes)) {
      const start = Math.max(0, headerLength - offset);
      const end = Math.min(chunk.length, byteLength - offset);
      offset += chunk.length;
      if (offset > byteLength) {
        throw new IdxFormatError(fn, 'trailing bytes after the data', `${byteLength} bytes`, `more`, {
          offset: byteLength,
          source: path,
        });
      }
      if (end > start) yield chunk.subarray(start, end);
    }
    if (offset < byteLength) {
      throw new IdxFormatError(fn, 'truncated data', `${byteLength} bytes`, `${offset} bytes`, {
        offset,
        source: path,
      });
    }
  }
  return { header, shape, chunks: chunks() };
}

/** Options of {@link streamIdxBatches}: those of {@link streamBatches} without featureShape and labels. */
export interface StreamIdxBatchesOptions extends Omit<StreamOptions, 'featureShape' | 'labels'>, StreamIdxOptions {
  /** An IDX labels file ([n] uint8, read whole: n bytes) to attach to the images. */
  labelsPath?: string;
  /**
   * Most bytes the batch and shuffle buffers (4·batchSize·d + shuffleBufferSize·d for d features per image)
   * and the labels file may take (`DEFAULT_MAX_BYTES`, 256 MiB, by default), checked against the images'
   * header before anything is allocated.
   */
  maxBytes?: number;
}

/**
 * Batches straight from an images IDX file (plain or gzipped) on disk, with bounded memory: the features of
 * one example are the file's trailing dimensions (e.g. [28, 28]). With `labelsPath`, the labels file is read
 * whole and checked to have one label per image.
 *
 * @example
 * import { join } from 'node:path';
 * const [images, labelsPath] = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => join(mnistDataDir(), f));
 * for await (const batch of await streamIdxBatches(images, { batchSize: 128, labelsPath, shuffleBufferSize: 10_000 })) {
 *   tf.dispose(batch); // after a training step on batch.x, batch.labels
 * }
 */
export async function streamIdxBatches(
  imagesPath: string,
  options: StreamIdxBatchesOptions,
): Promise<AsyncGenerator<Batch>> {
  const fn = 'streamIdxBatches';
  const { labelsPath, chunkBytes, maxBytes, ...rest } = options;
  const bound = checkMaxBytes(fn, maxBytes);
  const { shape, chunks } = await streamIdx(imagesPath, chunkBytes === undefined ? {} : { chunkBytes });
  if (shape.length < 2) {
    throw new DatasetError(
      fn,
      'images need a feature dimension',
      'an IDX of rank ≥ 2',
      `[${shape.join(', ')}]`,
      imagesPath,
    );
  }
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  const { batchSize, shuffleBufferSize = 0 } = rest;
  const buffers = d * (4 * batchSize + shuffleBufferSize);
  if (Number.isSafeInteger(batchSize) && Number.isSafeInteger(shuffleBufferSize) && buffers > bound) {
    await chunks.return(undefined);
    throw new DatasetError(
      fn,
      'batch buffers above maxBytes',
      `at most ${bound} bytes (maxBytes)`,
      `${buffers} bytes: ${d} features per image [${shape.slice(1).join(', ')}] × (4 · batchSize ${batchSize} + shuffleBufferSize ${shuffleBufferSize})`,
      imagesPath,
    );
  }
  let labels: Uint8Array | undefined;
  if (labelsPath !== undefined) {
    const read = await readIdxPath(labelsPath, { fn, maxBytes: bound });
    if (read.dtype !== 'uint8' || read.shape.length !== 1 || read.shape[0] !== shape[0]) {
      throw new DatasetError(
        fn,
        'labels do not match the images',
        `uint8 [${shape[0]}]`,
        `${read.dtype} [${read.shape.join(', ')}]`,
        labelsPath,
      );
    }
    labels = read.data;
  }
  return streamBatches(chunks, { ...rest, featureShape: shape.slice(1), ...(labels && { labels }) });
}
