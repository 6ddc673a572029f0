/**
 * gzip (RFC 1952) decompression through the standard `DecompressionStream('gzip')` of the Compression
 * Streams API, which Node ≥ 18 and every current browser provide: one code path everywhere, no dependency.
 */
import { GzipError } from './errors.js';
import { type IdxArray, readIdx } from './idx.js';

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

/** Options of {@link gunzip} and {@link readIdxFile}. */
export interface GunzipOptions {
  /** File name or URL, quoted in errors. */
  source?: string;
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

/**
 * Decompresses a gzip stream. Bytes without the gzip magic, corrupt deflate data, a bad CRC or a truncated
 * stream reject with a {@link GzipError} (corruption in the compressed data cannot be located more
 * precisely than "somewhere in the stream", so only the magic check carries an `offset`).
 *
 * @example
 * ```ts
 * const raw = await gunzip(new Uint8Array(await (await fetch('train-images-idx3-ubyte.gz')).arrayBuffer()));
 * ```
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const fn = 'gunzip';
  const where = options.source === undefined ? {} : { source: options.source };
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
  // A corrupt stream rejects both sides; the reader reports it, so the writer's rejection is only awaited below.
  writing.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value !== undefined) {
        chunks.push(value);
        total += value.length;
      }
    }
    await writing;
  } catch (e) {
    const found = e instanceof Error ? e.message : String(e);
    throw new GzipError(fn, 'corrupt or truncated gzip stream', 'a complete gzip stream', found, where);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Decodes the bytes of an IDX file that may be gzipped (`train-images-idx3-ubyte.gz`, as distributed) or
 * plain (`train-images-idx3-ubyte`): gzip is recognised by its magic number, never by the file name.
 *
 * @throws {GzipError} gzip magic present but the stream is corrupt.
 * @throws {IdxFormatError} the (decompressed) bytes are not valid IDX; `offset` counts decompressed bytes.
 * @example
 * ```ts
 * const images = await readIdxFile(bytes, { source: 'train-images-idx3-ubyte.gz' });
 * images.shape; // [60000, 28, 28]
 * ```
 */
export async function readIdxFile(bytes: Uint8Array, options: GunzipOptions = {}): Promise<IdxArray> {
  return readIdx(isGzip(bytes) ? await gunzip(bytes, options) : bytes, options);
}
