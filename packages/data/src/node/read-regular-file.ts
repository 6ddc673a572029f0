/// <reference types="node" />
/**
 * Opening data files in Node as untrusted input: the path must name a regular file (after symlinks), checked on
 * the open descriptor so that a FIFO cannot block the open, and a device such as `/dev/zero` cannot stream
 * without end; its size is checked against a bound before a byte is read, and no more than that size is read.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { DatasetError } from '../errors.js';

/** What a path that is not a regular file names, for messages. */
function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes. Opening is non-blocking
 * (`O_NONBLOCK`, where the platform has it), so a FIFO is refused instead of waiting for a writer.
 *
 * @throws {DatasetError} the file cannot be opened, is not a regular file, or is larger than `maxBytes`;
 *   `source` is the path.
 * @example
 * ```ts
 * const { handle, size } = await openRegularFile('readIdxPath', 'train-images-idx3-ubyte', 2 ** 28);
 * await handle.close();
 * ```
 */
export async function openRegularFile(
  fn: string,
  path: string,
  maxBytes: number,
): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw new DatasetError(fn, 'cannot open the file', 'a readable regular file', code, path);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new DatasetError(fn, 'not a regular file', 'a regular file', kind(stats), path);
    if (stats.size > maxBytes) {
      throw new DatasetError(fn, 'file larger than maxBytes', `at most ${maxBytes} bytes`, `${stats.size} bytes`, path);
    }
    return { handle, size: stats.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes (see {@link openRegularFile}): exactly the size it had
 * when opened, even if it grows meanwhile, into one buffer allocated once.
 *
 * @throws {DatasetError} as {@link openRegularFile}, or a read error.
 * @example
 * ```ts
 * const bytes = await readRegularFile('loadMnist', 'data/t10k-labels-idx1-ubyte', 2 ** 28);
 * ```
 */
export async function readRegularFile(fn: string, path: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(fn, path, maxBytes);
  try {
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) break; // the file shrank: what was read is what the parser checks
      read += bytesRead;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw new DatasetError(fn, 'cannot read the file', 'a readable regular file', code, path);
  } finally {
    await handle.close();
  }
}
