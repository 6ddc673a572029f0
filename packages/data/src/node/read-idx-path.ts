/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors.js';
import { readIdxFile } from '../gzip.js';
import type { IdxArray } from '../idx.js';

/**
 * Reads an IDX file from disk, plain or gzipped (recognised by its magic bytes), and decodes it.
 * uint8 data is a zero-copy view into the file's bytes.
 *
 * @throws {DatasetError} the file cannot be read (`source` is the path).
 * @throws {GzipError | IdxFormatError} the bytes are not valid (gzipped) IDX.
 * @example
 * ```ts
 * const { shape } = await readIdxPath('data/t10k-labels-idx1-ubyte'); // [10000]
 * ```
 */
export async function readIdxPath(path: string, fn = 'readIdxPath'): Promise<IdxArray> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw new DatasetError(fn, 'cannot read the file', 'a readable IDX file', code, path);
  }
  // A plain Uint8Array view, not a Buffer (whose `slice` shares memory and would surprise callers).
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return readIdxFile(bytes, { source: path });
}
