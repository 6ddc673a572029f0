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

/** Element types the IDX format defines. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

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

/** IDX dtype codes (byte 2 of the header). */
export const IDX_DTYPE_CODES: Readonly<Record<IdxDtype, number>> = Object.freeze({
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
});

/**
 * Largest rank {@link readIdx} accepts. The header allows 255, but real IDX files have rank 1 (labels) or
 * 3 (images); a rank byte above this is taken as corruption rather than an array of 16+ dimensions.
 */
export const IDX_MAX_RANK = 16;

/** Largest element count {@link readIdx} and {@link writeIdx} accept: the longest typed array engines allow in practice. */
export const IDX_MAX_ELEMENTS = 2 ** 32 - 1;

const SIZES: Readonly<Record<IdxDtype, number>> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };
const CTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;
const BY_CODE = new Map<number, IdxDtype>(
  (Object.entries(IDX_DTYPE_CODES) as Array<[IdxDtype, number]>).map(([dtype, code]) => [code, dtype]),
);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

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
 * const bytes = await readFile('train-images-idx3-ubyte');
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
  if (bytes.length < 4) {
    fail('truncated header', 'at least 4 header bytes (magic, dtype, rank)', `${bytes.length} bytes`, bytes.length);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail('wrong magic number', 'bytes 0x00 0x00', `${hex(bytes[0]!)} ${hex(bytes[1]!)}`, bytes[0] !== 0 ? 0 : 1);
  }
  const dtype = BY_CODE.get(bytes[2]!);
  if (dtype === undefined) {
    fail(
      'unknown dtype code',
      'one of 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32), 0x0e (float64)',
      hex(bytes[2]!),
      2,
    );
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > IDX_MAX_RANK) fail('bad rank', `a rank in 1..${IDX_MAX_RANK}`, `${rank}`, 3);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    fail('truncated header', `${headerLength} header bytes for rank ${rank}`, `${bytes.length} bytes`, bytes.length);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
    if (count > IDX_MAX_ELEMENTS) {
      fail(
        'dimensions overflow',
        `a product of dims ≤ ${IDX_MAX_ELEMENTS}`,
        `dims [${shape.join(', ')}${i < rank - 1 ? ', …' : ''}]`,
        4 + 4 * i,
      );
    }
  }
  const size = SIZES[dtype!];
  const expectedLength = headerLength + size * count;
  const found = `${bytes.length} bytes`;
  const what = `${headerLength} header + ${count} × ${size} data bytes for ${dtype} [${shape.join(', ')}]`;
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
  return { dtype, shape, data: new CTORS[dtype!](out.buffer) } as IdxArray;
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
