/**
 * gzip (RFC 1952) decompression through the standard `DecompressionStream('gzip')` of the Compression
 * Streams API, which Node ≥ 18 and every current browser provide: one code path everywhere, no dependency.
 */
import { ValueError } from '@latentlab/core';
import { type DataLocation, GzipError, IdxFormatError } from './errors.js';
import { type IdxArray, readIdx } from './idx.js';
import { describeIdxLength, IDX_MAX_RANK, type ParsedIdxHeader, parseIdxHeader } from './idx-header.js';

// The package compiles without the DOM lib (so browser-only code cannot slip in): describe the slice of
// the Streams API used here structurally instead.
interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface DecompressionStreamLike {
  readonly writable: { getWriter(): ByteWriter };
  readonly readable: { getReader(): ByteReader };
}
type DecompressionStreamCtor = new (format: 'gzip') => DecompressionStreamLike;

/**
 * Default bound on decompressed output: 256 MiB (2²⁸ bytes). Five times MNIST's training images (47 MB); a
 * larger data set needs an explicit `maxBytes`.
 */
export const DEFAULT_MAX_BYTES = 2 ** 28;

/** Options of {@link gunzip} and {@link readIdxFile}. */
export interface GunzipOptions {
  /** File name or URL, quoted in errors. */
  source?: string;
  /**
   * Most bytes the decompressed output may have ({@link DEFAULT_MAX_BYTES}, 256 MiB, by default). Checked
   * against the declared size (the IDX header, the gzip trailer) before allocating, and against the output as
   * it streams: decompression stops at the first byte past the bound.
   */
  maxBytes?: number;
}

/**
 * Whether `bytes` starts with the gzip magic number 0x1f 0x8b (RFC 1952 §2.3.1).
 *
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 * isGzip(new Uint8Array([0, 0, 8, 1]));    // false (an IDX header)
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Checks `options.maxBytes` (a positive safe integer) and returns it or the default. */
export function checkMaxBytes(fn: string, maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new ValueError(fn, 'bad maxBytes', 'an integer ≥ 1', String(maxBytes));
  }
  return maxBytes;
}

/**
 * Feeds the decompressed bytes of a gzip stream to `sink`, chunk by chunk, as they come out of the platform's
 * `DecompressionStream`; never more than one chunk is held here. When `sink` throws, decompression is
 * cancelled at once and the error propagates; corrupt data rejects with a {@link GzipError}.
 */
async function inflate(
  fn: string,
  bytes: Uint8Array,
  where: DataLocation,
  sink: (chunk: Uint8Array) => void,
): Promise<void> {
  if (!isGzip(bytes)) {
    const found = Array.from(bytes.subarray(0, 2), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    throw new GzipError(fn, 'not gzip data', 'magic bytes 0x1f 0x8b', found || 'empty input', { ...where, offset: 0 });
  }
  const Ctor = (globalThis as { DecompressionStream?: DecompressionStreamCtor }).DecompressionStream;
  if (Ctor === undefined) {
    throw new GzipError(fn, 'no DecompressionStream', 'a runtime with the Compression Streams API', 'none', where);
  }
  const stream = new Ctor('gzip');
  const writer = stream.writable.getWriter();
  const writing = writer.write(bytes).then(() => writer.close());
  // A corrupt or cancelled stream rejects both sides; the reader reports it, so the writer's rejection is only
  // awaited below.
  writing.catch(() => undefined);
  const reader = stream.readable.getReader();
  for (;;) {
    let next: { done: boolean; value?: Uint8Array };
    try {
      next = await reader.read();
    } catch (e) {
      throw new GzipError(fn, 'corrupt or truncated gzip stream', 'a complete gzip stream', message(e), where);
    }
    if (next.done) break;
    if (next.value === undefined || next.value.length === 0) continue;
    try {
      sink(next.value);
    } catch (e) {
      await reader.cancel(e).catch(() => undefined);
      throw e;
    }
  }
  try {
    await writing;
  } catch (e) {
    throw new GzipError(fn, 'corrupt or truncated gzip stream', 'a complete gzip stream', message(e), where);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Decompresses a gzip stream into one buffer, allocated from the size the gzip trailer declares (ISIZE, the
 * last 4 bytes: the length mod 2³² of the last member) and grown only for multi-member streams. The output is
 * bounded by `maxBytes` (256 MiB by default): a declared size above it is refused before anything is
 * allocated, and decompression stops at the first byte past it. Bytes without the gzip magic, corrupt deflate
 * data, a bad CRC, a truncated stream or output beyond `maxBytes` reject with a {@link GzipError} (corruption in
 * the compressed data cannot be located more precisely than "somewhere in the stream", so only the magic check
 * carries an `offset`).
 *
 * @example
 * ```ts
 * const gz = await new Response(new Blob(['hello']).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
 * const raw = await gunzip(new Uint8Array(gz), { maxBytes: 2 ** 20 }); // the 5 bytes of 'hello'
 * ```
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const fn = 'gunzip';
  const where: DataLocation = options.source === undefined ? {} : { source: options.source };
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  // ISIZE ≤ total length for every valid stream shorter than 4 GiB, so ISIZE > maxBytes means too long.
  const declared = isGzip(bytes) && bytes.length >= 18 ? readUint32LE(bytes, bytes.length - 4) : 0;
  const tooLong = (found: string) =>
    new GzipError(fn, 'decompressed size above maxBytes', `at most ${maxBytes} bytes (maxBytes)`, found, where);
  if (declared > maxBytes) throw tooLong(`${declared} bytes declared by the gzip trailer (ISIZE)`);
  let out = allocate(fn, declared, where);
  let length = 0;
  await inflate(fn, bytes, where, (chunk) => {
    const needed = length + chunk.length;
    if (needed > maxBytes) throw tooLong(`more than ${maxBytes} bytes after decompression`);
    if (needed > out.length) {
      // Only when ISIZE undercounts (several members): grow geometrically, never past maxBytes.
      const grown = allocate(fn, Math.min(maxBytes, Math.max(needed, 2 * out.length)), where);
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(chunk, length);
    length = needed;
  });
  return length === out.length ? out : out.slice(0, length);
}

/**
 * Decodes the bytes of an IDX file that may be gzipped (`train-images-idx3-ubyte.gz`, as distributed) or
 * plain (`train-images-idx3-ubyte`): gzip is recognised by its magic number, never by the file name.
 *
 * Gzipped input is decompressed straight into one buffer of the length the IDX header declares, which is
 * checked against `maxBytes` (256 MiB by default) before it is allocated; decompression stops at the first byte
 * past that length (an {@link IdxFormatError} "trailing bytes"), so a small file that inflates to gigabytes
 * costs no more memory than its header claims.
 *
 * @throws {GzipError} gzip magic present but the stream is corrupt or truncated.
 * @throws {IdxFormatError} the (decompressed) bytes are not valid IDX, or declare more than `maxBytes`;
 *   `offset` counts decompressed bytes.
 * @example
 * ```ts
 * const bytes = writeIdx({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(2 * 28 * 28) }); // or gzipped
 * const images = await readIdxFile(bytes, { source: 'train-images-idx3-ubyte.gz' });
 * images.shape; // [2, 28, 28]
 * ```
 */
export async function readIdxFile(bytes: Uint8Array, options: GunzipOptions = {}): Promise<IdxArray> {
  const fn = 'readIdxFile';
  const { source } = options;
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const where = source === undefined ? {} : { source };
  if (!isGzip(bytes)) return readIdx(bytes, where);
  const head = new Uint8Array(4 + 4 * IDX_MAX_RANK);
  let headLength = 0;
  let header: ParsedIdxHeader | undefined;
  let out = new Uint8Array(0);
  let length = 0;
  await inflate(fn, bytes, where, (chunk) => {
    let from = 0;
    if (header === undefined) {
      from = Math.min(chunk.length, head.length - headLength);
      head.set(chunk.subarray(0, from), headLength);
      headLength += from;
      header = parseIdxHeader(head.subarray(0, headLength), { fn, final: false, ...where });
      if (header === undefined) return;
      if (header.byteLength > maxBytes) {
        throw new IdxFormatError(
          fn,
          'declared size above maxBytes',
          `at most ${maxBytes} bytes (maxBytes)`,
          `${header.byteLength} bytes (${describeIdxLength(header)})`,
          { ...where, offset: 4 },
        );
      }
      out = allocate(fn, header.byteLength, where);
      length = Math.min(headLength, out.length);
      out.set(head.subarray(0, length));
      if (headLength > out.length) from -= headLength - out.length; // the header's own bytes overflow a tiny file
    }
    if (length + chunk.length - from > out.length) {
      throw new IdxFormatError(
        fn,
        'trailing bytes after the data',
        `${out.length} bytes (${describeIdxLength(header)})`,
        `more than ${out.length} bytes after decompression`,
        { ...where, offset: out.length },
      );
    }
    out.set(chunk.subarray(from), length);
    length += chunk.length - from;
  });
  // A header or data cut short: readIdx names what is missing.
  return readIdx(header === undefined ? head.subarray(0, headLength) : out.subarray(0, length), where);
}

/** A buffer of `n` bytes, or a {@link GzipError} (not a `RangeError`) when the engine cannot allocate it. */
function allocate(fn: string, n: number, where: DataLocation): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(n);
  } catch (e) {
    throw new GzipError(fn, 'cannot allocate the output', `${n} bytes of memory`, message(e), where);
  }
}

function readUint32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
