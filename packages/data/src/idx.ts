/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun, Cortes & Burges, "THE MNIST DATABASE of handwritten
 * digits", section "FILE FORMATS FOR THE MNIST DATABASE"):
 *
 *     byte 0..1   0x00 0x00                     magic
 *     byte 2      dtype code                    0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *     byte 3      rank r                        number of dimensions
 *     byte 4..    r × uint32, big-endian        dims d_0 … d_{r-1}
 *     then        Π d_i elements, big-endian, row-major (last index fastest)
 *
 * so a valid file has exactly `4 + 4r + size(dtype) · Π d_i` bytes.
 */
import { ShapeError, ValueError } from '@latentlab/core';
import { IdxFormatError } from './errors.js';
import {
  describeIdxLength,
  IDX_DTYPE_CODES,
  IDX_MAX_ELEMENTS,
  IDX_MAX_RANK,
  type IdxDtype,
  parseIdxHeader,
  IDX_DTYPE_SIZES as SIZES,
} from './idx-header.js';

export { IDX_DTYPE_CODES, IDX_MAX_ELEMENTS, IDX_MAX_RANK, type IdxDtype };

/** The typed array that holds each dtype. */
export interface IdxDataTypes {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** A decoded IDX array. `data` is row-major with `data.length === shape.reduce((a, b) => a * b, 1)`. */
export type IdxArray<D extends IdxDtype = IdxDtype> = {
  [K in D]: { dtype: K; shape: number[]; data: IdxDataTypes[K] };
}[D];

const CTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Options of {@link readIdx}. */
export interface ReadIdxOptions {
  /** File name or URL, quoted in errors. */
  source?: string;
}

/**
 * Decodes the bytes of an (uncompressed) IDX file.
 *
 * uint8 and int8 data come back as zero-copy views into `bytes`; multi-byte types are converted from
 * big-endian into a fresh typed array (bit-exact, NaN payloads included). Every malformed input throws an
 * {@link IdxFormatError} carrying the byte `offset` of the problem: wrong magic, unknown dtype, rank 0 or
 * above {@link IDX_MAX_RANK}, truncated header, dims whose product overflows, data shorter (truncated) or
 * longer (trailing bytes) than `size(dtype) · Π dims`.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { join } from 'node:path';
 * const bytes = await readFile(join(mnistDataDir(), 'train-images-idx3-ubyte')); // from @latentlab/data/node
 * const { dtype, shape, data } = readIdx(bytes); // 'uint8', [60000, 28, 28], Uint8Array(47040000)
 * ```
 */
export function readIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  const fn = 'readIdx';
  const { source } = options;
  const fail = (message: string, expected: string, found: string, offset: number): never => {
    throw new IdxFormatError(fn, message, expected, found, source === undefined ? { offset } : { offset, source });
  };
  if (!(bytes instanceof Uint8Array)) {
    throw new ValueError(fn, 'bytes must be a Uint8Array', 'a Uint8Array', Object.prototype.toString.call(bytes));
  }
  const header = parseIdxHeader(bytes, { fn, final: true, ...(source !== undefined && { source }) })!;
  const { dtype, shape, count, headerLength, byteLength: expectedLength } = header;
  const size = SIZES[dtype];
  const found = `${bytes.length} bytes`;
  const what = describeIdxLength(header);
  if (bytes.length < expectedLength) fail('truncated data', `${expectedLength} bytes (${what})`, found, bytes.length);
  if (bytes.length > expectedLength) {
    fail('trailing bytes after the data', `${expectedLength} bytes (${what})`, found, expectedLength);
  }
  const start = bytes.byteOffset + headerLength;
  if (size === 1) {
    const data = dtype === 'uint8' ? bytes.subarray(headerLength) : new Int8Array(bytes.buffer, start, count);
    return { dtype, shape, data } as IdxArray;
  }
  const out = new Uint8Array(size * count);
  copyBigEndian(bytes.subarray(headerLength), out, size);
  return { dtype, shape, data: new CTORS[dtype](out.buffer) } as IdxArray;
}

/**
 * Encodes an array as IDX bytes (the inverse of {@link readIdx}: `readIdx(writeIdx(a))` equals `a`).
 *
 * @throws {ValueError} unknown dtype, or `data` not the typed array of `dtype` (`Float32Array` for `'float32'`, …).
 * @throws {ShapeError} rank outside 1..{@link IDX_MAX_RANK}, a dim that is not an integer in 0..2³²−1, or
 *   `Π shape ≠ data.length`.
 * @example
 * ```ts
 * const bytes = writeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([3, 7]) });
 * // Uint8Array [0, 0, 8, 1, 0, 0, 0, 2, 3, 7]
 * ```
 */
export function writeIdx(array: IdxArray): Uint8Array {
  const fn = 'writeIdx';
  const { dtype, shape, data } = array;
  if (!Object.hasOwn(SIZES, dtype)) {
    throw new ValueError(fn, 'unknown dtype', Object.keys(SIZES).join(', '), String(dtype));
  }
  const Ctor = CTORS[dtype];
  if (!(data instanceof Ctor)) {
    throw new ValueError(fn, `data must match dtype ${dtype}`, Ctor.name, Object.prototype.toString.call(data));
  }
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > IDX_MAX_RANK) {
    throw new ShapeError(fn, 'bad rank', `a shape of rank 1..${IDX_MAX_RANK}`, JSON.stringify(shape));
  }
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new ShapeError(fn, 'bad dimension', 'integers in 0..4294967295', `[${shape.join(', ')}]`);
    }
    count *= d;
  }
  if (count !== data.length) {
    throw new ShapeError(fn, 'shape and data disagree', `data.length = ${count} (Π shape)`, `${data.length}`);
  }
  const size = SIZES[dtype];
  const headerLength = 4 + 4 * shape.length;
  const out = new Uint8Array(headerLength + size * count);
  const view = new DataView(out.buffer);
  view.setUint8(2, IDX_DTYPE_CODES[dtype]);
  view.setUint8(3, shape.length);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (size === 1) out.set(raw, headerLength);
  else copyBigEndian(raw, out.subarray(headerLength), size);
  return out;
}

/** Copies `size`-byte elements between big-endian and host order (a byte swap on little-endian hosts; its own inverse). */
function copyBigEndian(src: Uint8Array, dst: Uint8Array, size: number): void {
  if (!LITTLE_ENDIAN) {
    dst.set(src.subarray(0, dst.length));
    return;
  }
  const n = dst.length;
  for (let i = 0; i < n; i += size) {
    for (let j = 0; j < size; j++) dst[i + j] = src[i + size - 1 - j]!;
  }
}
