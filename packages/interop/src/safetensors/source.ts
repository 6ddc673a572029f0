/**
 * Safetensors from what a browser holds: bytes, a `Blob`/`File` (sliced: the header is read and checked before
 * the data), or a URL (fetched with a size bound: `Content-Length` checked first, the stream cut at the bound).
 */
import { concatBytes, ValueError } from '@latentlab/core';
import { SafetensorsFormatError } from '../errors.js';
import { type HeaderOptions, parseHeader, readHeaderLength } from './header.js';
import { decodeTensors, readSafetensors, type SafetensorsFile } from './read.js';

/** The part of the `Blob` / `File` API the reader uses. */
export interface BlobLike {
  readonly size: number;
  /** The bytes [start, end) as a blob of their own. */
  slice(
    start?: number,
    end?: number,
  ): {
    /** The slice's bytes. */
    arrayBuffer(): Promise<ArrayBuffer>;
  };
}

/** The part of the Fetch API the reader uses. */
export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  statusText?: string;
  headers: {
    /** The value of header `name`, or `null` when absent. */
    get(name: string): string | null;
  };
  body: {
    /** A reader of the body, chunk by chunk. */
    getReader(): {
      /** The next chunk, or `done`. */
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
      /** Stops the download. */
      cancel(): Promise<void>;
    };
  } | null;
}>;

/** What {@link readSafetensorsFrom} reads. */
export type SafetensorsSource = Uint8Array | ArrayBuffer | BlobLike | string | { href: string };

/** Options of {@link readSafetensorsFrom}. */
export interface SourceOptions extends HeaderOptions {
  /** Largest file accepted, in bytes (default {@link MAX_FILE_BYTES}). */
  maxBytes?: number;
  /** The fetch to use for URLs (default: the global one). */
  fetch?: FetchLike;
}

/** The largest file read by default: 2 GiB (browsers cannot hold much more in one tab). */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;

const isBlob = (s: unknown): s is BlobLike =>
  s !== null &&
  typeof s === 'object' &&
  typeof (s as BlobLike).size === 'number' &&
  typeof (s as BlobLike).slice === 'function';

async function readBlob(blob: BlobLike, options: SourceOptions, fn: string): Promise<SafetensorsFile> {
  const size = blob.size;
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  if (size > max)
    throw new SafetensorsFormatError(fn, 'header', 'the file is too large', `≤ ${max} bytes`, `${size} bytes`);
  const prefix = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  const n = readHeaderLength(prefix, size, options, fn);
  const header = parseHeader(new Uint8Array(await blob.slice(8, 8 + n).arrayBuffer()), size - 8 - n, fn);
  return decodeTensors(header, new Uint8Array(await blob.slice(8 + n, size).arrayBuffer()));
}

async function readUrl(url: string, options: SourceOptions, fn: string): Promise<SafetensorsFile> {
  const doFetch = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (!doFetch) throw new ValueError(fn, 'no fetch available', 'options.fetch or a global fetch', 'none');
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  const response = await doFetch(url);
  if (!response.ok)
    throw new ValueError(
      fn,
      `download of ${url} failed`,
      'HTTP 2xx',
      `${response.status} ${response.statusText ?? ''}`,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const tooLarge = (found: string) =>
    new SafetensorsFormatError(fn, 'header', `${url} is too large`, `≤ ${max} bytes`, found);
  if (declared > max) {
    await response.body?.getReader().cancel();
    throw tooLarge(`Content-Length ${declared}`);
  }
  if (!response.body) throw new ValueError(fn, `${url} has no body`, 'a response body', 'none');
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(`more than ${max} bytes streamed`);
    }
    chunks.push(value);
  }
  return readSafetensors(concatBytes(chunks), options);
}

/**
 * Reads safetensors from bytes, a `Blob`/`File` or a URL (string or `URL`), with every check of
 * `readSafetensors` plus a size bound (`maxBytes`, default 2 GiB). A `Blob` is read in three slices (8 bytes,
 * the header, the data), so a hostile header is refused before the data is loaded.
 *
 * @throws {SafetensorsFormatError} a malformed file or one over the bound.
 * @throws {ValueError} a failed download.
 * @example
 * const bytes = writeSafetensors({ mean: { shape: [2], values: [0.5, 1.5] } });
 * const file = await readSafetensorsFrom(new File([bytes], 'pca.safetensors')); // e.g. input.files[0] of <input type="file">
 * const url = URL.createObjectURL(new Blob([bytes])); // or 'https://…/model.safetensors'
 * const remote = await readSafetensorsFrom(url);
 * remote.tensors.get('mean')!.values; // Float32Array [0.5, 1.5]
 */
export async function readSafetensorsFrom(
  source: SafetensorsSource,
  options: SourceOptions = {},
): Promise<SafetensorsFile> {
  const fn = 'readSafetensorsFrom';
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const size = source.byteLength;
    const max = options.maxBytes ?? MAX_FILE_BYTES;
    if (size > max)
      throw new SafetensorsFormatError(fn, 'header', 'the file is too large', `≤ ${max} bytes`, `${size} bytes`);
    return readSafetensors(source, options);
  }
  if (isBlob(source)) return readBlob(source, options, fn);
  if (typeof source === 'string') return readUrl(source, options, fn);
  if (source !== null && typeof source === 'object' && typeof source.href === 'string')
    return readUrl(source.href, options, fn);
  throw new ValueError(fn, 'unsupported source', 'bytes, a Blob/File or a URL', String(source));
}
