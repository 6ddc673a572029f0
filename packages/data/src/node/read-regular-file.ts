/// <reference types="node" />
/**
 * Opening data files in Node as untrusted input through core's one reader (`@latentlab/core/node`'s
 * `openRegularFile` / `readExactly`): a regular file (after symlinks), checked on the open descriptor, opened
 * non-blocking, its size checked against a bound before a byte is read, no more than that size read. Here every
 * refusal is a {@link DatasetError} whose `source` is the path.
 */
import type { FileHandle } from 'node:fs/promises';
import { openRegularFile as openChecked, type RegularFileFailure, readExactly } from '@latentlab/core/node';
import { DatasetError } from '../errors.js';

const toDatasetError = (f: RegularFileFailure): DatasetError =>
  new DatasetError(f.fn, f.message, f.expected, f.found, f.path);

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes (non-blocking, so a FIFO is refused
 * instead of waiting for a writer).
 *
 * @throws {DatasetError} the file cannot be opened, is not a regular file, or is larger than `maxBytes`;
 *   `source` is the path.
 * @example
 * ```ts
 * const { handle, size } = await openRegularFile('readIdxPath', 'train-images-idx3-ubyte', 2 ** 28);
 * await handle.close();
 * ```
 */
export function openRegularFile(
  fn: string,
  path: string,
  maxBytes: number,
): Promise<{ handle: FileHandle; size: number }> {
  return openChecked(path, { fn, maxBytes, fail: toDatasetError });
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes (see {@link openRegularFile}): exactly the size it had
 * when opened, into one buffer allocated once; a file that shrinks meanwhile is refused.
 *
 * @throws {DatasetError} as {@link openRegularFile}, a read error, or a file that changed while it was read.
 * @example
 * ```ts
 * const bytes = await readRegularFile('loadMnist', 'data/t10k-labels-idx1-ubyte', 2 ** 28);
 * ```
 */
export async function readRegularFile(fn: string, path: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(fn, path, maxBytes);
  try {
    return await readExactly(handle, { fn, path, length: size, fail: toDatasetError });
  } finally {
    await handle.close();
  }
}
