/**
 * The header of an IDX file (see `idx.ts` for the format), parsed on its own so that every reader (whole
 * bytes, gzip streams, files streamed from disk) checks it the same way and knows the file's full length
 * `4 + 4r + size(dtype) · Π dims` before it allocates or reads the data.
 */
import { IdxFormatError } from './errors.js';

/** Element types the IDX format defines. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

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
 * Largest rank the IDX readers accept. The header allows 255, but real IDX files have rank 1 (labels) or
 * 3 (images); a rank byte above this is taken as corruption rather than an array of 16+ dimensions.
 */
export const IDX_MAX_RANK = 16;

/** Largest element count the IDX readers and `writeIdx` accept: the longest typed array engines allow in practice. */
export const IDX_MAX_ELEMENTS = 2 ** 32 - 1;

/** Bytes per element of each dtype. */
export const IDX_DTYPE_SIZES: Readonly<Record<IdxDtype, number>> = Object.freeze({
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
});

/** What an IDX header declares. */
export interface ParsedIdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Elements, Π shape. */
  count: number;
  /** 4 + 4·rank. */
  headerLength: number;
  /** The whole file's length: headerLength + size(dtype) · count. */
  byteLength: number;
}

/** Options of {@link parseIdxHeader}. */
export interface ParseIdxHeaderOptions {
  /** Public function to name in errors. */
  fn: string;
  /** File name or URL, quoted in errors. */
  source?: string;
  /**
   * Whether `bytes` is all there is. When false (a stream still arriving), a header cut short returns
   * `undefined` ("need more bytes") instead of throwing "truncated header".
   */
  final: boolean;
}

const BY_CODE = new Map<number, IdxDtype>(
  (Object.entries(IDX_DTYPE_CODES) as Array<[IdxDtype, number]>).map(([dtype, code]) => [code, dtype]),
);
const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Parses and checks an IDX header from the first bytes of a file: magic `00 00`, a known dtype code, a rank in
 * 1..{@link IDX_MAX_RANK}, dims whose product is at most {@link IDX_MAX_ELEMENTS}. Each check runs as soon as
 * its bytes are there, so a stream fails at its first wrong byte. Every failure is an {@link IdxFormatError}
 * with the byte `offset` of the problem.
 *
 * @returns the header, or `undefined` when `final` is false and the header is not complete yet.
 * @example
 * ```ts
 * parseIdxHeader(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2]), { fn: 'mine', final: true });
 * // { dtype: 'uint8', shape: [2], count: 2, headerLength: 8, byteLength: 10 }
 * ```
 */
export function parseIdxHeader(bytes: Uint8Array, options: ParseIdxHeaderOptions): ParsedIdxHeader | undefined {
  const { fn, source, final } = options;
  const fail = (message: string, expected: string, found: string, offset: number): never => {
    throw new IdxFormatError(fn, message, expected, found, source === undefined ? { offset } : { offset, source });
  };
  const truncated = (expected: string): undefined => {
    if (final) fail('truncated header', expected, `${bytes.length} bytes`, bytes.length);
    return undefined;
  };
  const n = bytes.length;
  if (n >= 1 && bytes[0] !== 0) fail('wrong magic number', 'bytes 0x00 0x00', hex(bytes[0]!), 0);
  if (n >= 2 && bytes[1] !== 0) fail('wrong magic number', 'bytes 0x00 0x00', `0x00 ${hex(bytes[1]!)}`, 1);
  const dtype = n >= 3 ? BY_CODE.get(bytes[2]!) : undefined;
  if (n >= 3 && dtype === undefined) {
    fail(
      'unknown dtype code',
      'one of 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32), 0x0e (float64)',
      hex(bytes[2]!),
      2,
    );
  }
  if (n < 4) return truncated('at least 4 header bytes (magic, dtype, rank)');
  const rank = bytes[3]!;
  if (rank < 1 || rank > IDX_MAX_RANK) fail('bad rank', `a rank in 1..${IDX_MAX_RANK}`, `${rank}`, 3);
  const headerLength = 4 + 4 * rank;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank && 8 + 4 * i <= n; i++) {
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
  if (n < headerLength) return truncated(`${headerLength} header bytes for rank ${rank}`);
  const byteLength = headerLength + IDX_DTYPE_SIZES[dtype!] * count;
  return { dtype: dtype!, shape, count, headerLength, byteLength };
}

/** `16 header + 47040000 × 1 data bytes for uint8 [60000, 28, 28]`: a header's length, spelled out for messages. */
export function describeIdxLength(header: ParsedIdxHeader): string {
  const { headerLength, count, dtype, shape } = header;
  return `${headerLength} header + ${count} × ${IDX_DTYPE_SIZES[dtype]} data bytes for ${dtype} [${shape.join(', ')}]`;
}
