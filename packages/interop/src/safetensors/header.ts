/**
 * The safetensors header, checked as hostile input before any tensor byte is read:
 *
 *     [u64 little-endian N][N bytes of UTF-8 JSON][data section: the tensors' bytes]
 *     JSON = { "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, …,
 *              "__metadata__": { "<key>": "<string>" } }            (optional)
 *
 * Rules (those of the reference implementation, huggingface/safetensors `validate`): 2 ≤ N ≤ `maxHeaderBytes`
 * (default {@link MAX_HEADER_BYTES}, the reference's 100 MB) and 8 + N ≤ the file size; the JSON is an object;
 * every entry has a known dtype, a shape of non-negative safe integers, offsets [begin, end] with
 * end − begin = ∏shape × dtype size; sorted by offset the tensors tile the data section exactly (the first
 * begins at 0, each begins where the previous ended, the last ends at the end of the file: no gaps, no
 * overlaps); `__metadata__` maps strings to strings.
 */
import { SafetensorsFormatError } from '../errors.js';
import { DTYPE_SIZE, isKnownDtype, type SafetensorsDtype } from './dtype.js';

/** The largest header accepted by default: 100 MB (100 000 000 bytes, as the reference implementation). */
export const MAX_HEADER_BYTES = 100_000_000;
/** The smallest header: `{}` (2 bytes). */
export const MIN_HEADER_BYTES = 2;

/** One tensor's entry of a checked header. */
export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Elements: ∏ shape (1 for a scalar, shape []). */
  size: number;
  /** Byte offsets [begin, end) relative to the start of the data section. */
  begin: number;
  end: number;
}

/** A checked header: the entries sorted by offset, the metadata, and where the data section starts. */
export interface SafetensorsHeader {
  entries: TensorEntry[];
  metadata: Record<string, string> | null;
  /** 8 + N: the byte offset of the data section in the file. */
  dataStart: number;
  /** Bytes of the data section (= the last entry's end, 0 without tensors). */
  dataLength: number;
}

/** Options of every safetensors reader. */
export interface HeaderOptions {
  /** Largest header N in bytes (default {@link MAX_HEADER_BYTES}). */
  maxHeaderBytes?: number;
}

/**
 * Reads N from the file's first 8 bytes and checks 2 ≤ N ≤ maxHeaderBytes and 8 + N ≤ fileSize.
 * @throws {SafetensorsFormatError} naming `fn`, with the bound and the value found.
 * @example
 * const bytes = writeSafetensors({ mean: { shape: [2], values: [0.5, 1.5] } });
 * const n = readHeaderLength(bytes.subarray(0, 8), bytes.byteLength); // 64; then parse bytes [8, 8 + n)
 */
export function readHeaderLength(
  prefix: Uint8Array,
  fileSize: number,
  options: HeaderOptions = {},
  fn = 'readSafetensors',
): number {
  const max = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (fileSize < 8 || prefix.byteLength < 8) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'the file is shorter than its 8-byte header length',
      '≥ 8 bytes',
      `${fileSize} bytes`,
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32; // exact below 2^53; larger values only need to be "large"
  if (n < MIN_HEADER_BYTES || n > max) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'header length out of bounds',
      `${MIN_HEADER_BYTES} ≤ N ≤ ${max} bytes`,
      `N = ${n}`,
    );
  }
  if (8 + n > fileSize) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'the header runs past the end of the file',
      `8 + N ≤ ${fileSize} bytes`,
      `8 + N = ${8 + n}`,
    );
  }
  return n;
}

const isSafeCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function checkEntry(fn: string, name: string, raw: unknown): TensorEntry {
  const bad = (message: string, expected: string, found: string) =>
    new SafetensorsFormatError(fn, name, message, expected, found);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad('the entry is not an object', '{ dtype, shape, data_offsets }', JSON.stringify(raw) ?? String(raw));
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isKnownDtype(dtype))
    throw bad('unknown or unsupported dtype', 'F32, F16, BF16 or F64', JSON.stringify(dtype) ?? 'none');
  if (!Array.isArray(shape) || !shape.every(isSafeCount)) {
    throw bad('the shape is not a list of non-negative integers', 'e.g. [784, 400]', JSON.stringify(shape) ?? 'none');
  }
  let size = 1;
  for (const s of shape as number[]) {
    size *= s;
    if (!Number.isSafeInteger(size)) throw bad('the shape is too large', `∏ shape ≤ 2^53 − 1`, JSON.stringify(shape));
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isSafeCount) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw bad(
      'data_offsets is not [begin, end] with 0 ≤ begin ≤ end',
      '[begin, end]',
      JSON.stringify(offsets) ?? 'none',
    );
  }
  const [begin, end] = offsets as [number, number];
  const bytes = size * DTYPE_SIZE[dtype];
  if (!Number.isSafeInteger(bytes) || end - begin !== bytes) {
    throw bad(
      `the byte length differs from shape × dtype size`,
      `end − begin = ${size} × ${DTYPE_SIZE[dtype]} = ${bytes} bytes for ${dtype} [${(shape as number[]).join(', ')}]`,
      `${end} − ${begin} = ${end - begin} bytes`,
    );
  }
  return { name, dtype, shape: [...(shape as number[])], size, begin, end };
}

/**
 * Parses and checks the N header bytes (see the module comment for every rule) against the data section's
 * length `dataLength` = file size − 8 − N.
 * @throws {SafetensorsFormatError} naming `fn`, the tensor (or `header` / `__metadata__`), expected and found.
 * @example
 * const bytes = writeSafetensors({ mean: { shape: [2], values: [0.5, 1.5] } });
 * const n = readHeaderLength(bytes.subarray(0, 8), bytes.byteLength);
 * const header = parseHeader(bytes.subarray(8, 8 + n), bytes.byteLength - 8 - n);
 * header.entries[0]; // { name: 'mean', dtype: 'F32', shape: [2], size: 2, begin: 0, end: 8 }
 */
export function parseHeader(headerBytes: Uint8Array, dataLength: number, fn = 'readSafetensors'): SafetensorsHeader {
  const dataStart = 8 + headerBytes.byteLength;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsFormatError(fn, 'header', 'the header is not UTF-8', 'UTF-8 JSON', 'invalid byte sequences');
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'the header is not a JSON object',
      "a header starting with '{'",
      JSON.stringify(text.slice(0, 20)),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'the header is not valid JSON',
      'a JSON object',
      (error as Error).message,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new SafetensorsFormatError(
      fn,
      'header',
      'the header is not a JSON object',
      'a JSON object',
      Array.isArray(json) ? 'an array' : String(json),
    );
  }
  let metadata: Record<string, string> | null = null;
  const entries: TensorEntry[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new SafetensorsFormatError(
          fn,
          name,
          'the metadata is not an object',
          '{ "key": "string" }',
          JSON.stringify(raw),
        );
      }
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string') {
          throw new SafetensorsFormatError(
            fn,
            name,
            `metadata '${key}' is not a string`,
            'string values',
            JSON.stringify(value),
          );
        }
      }
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    entries.push(checkEntry(fn, name, raw));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of entries) {
    if (e.begin !== at) {
      throw new SafetensorsFormatError(
        fn,
        e.name,
        e.begin < at ? 'its bytes overlap the previous tensor' : 'a gap precedes its bytes',
        `data_offsets beginning at ${at} (the tensors tile the data section)`,
        `[${e.begin}, ${e.end}]`,
      );
    }
    at = e.end;
  }
  if (at !== dataLength) {
    throw new SafetensorsFormatError(
      fn,
      entries.at(-1)?.name ?? 'header',
      at < dataLength ? 'the data section is longer than its tensors' : 'the tensors run past the end of the file',
      `tensors ending at the data section's end, ${dataLength} bytes`,
      `tensors ending at ${at} bytes`,
    );
  }
  return { entries, metadata, dataStart, dataLength };
}
