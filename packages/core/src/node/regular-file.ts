/// <reference types="node" />
/**
 * Opening a file from outside as untrusted input, the one way every Node entry of Latentlab does it: the path must
 * name a regular file, checked by `fstat` on the open descriptor (so the file checked is the file read); it is
 * opened non-blocking, so a FIFO cannot hang the open, and a device such as `/dev/zero` is refused instead of
 * streamed without end; its size is checked against a bound before a byte is read, and no more than that size is
 * read. Each package keeps its own typed error through `fail` (data's `DatasetError`, models' `ModelFormatError`,
 * interop's `SafetensorsFormatError`, the CLI's `RunFileError`).
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ValueError } from '../errors.js';

/** Why a file was refused: the open failed, it is not a regular file, it is too large, a read failed or came short. */
export type RegularFileReason = 'open' | 'kind' | 'size' | 'read' | 'changed';

/** One refusal, in the words of `LatentlabError`'s fields, for `fail` to turn into the caller's own error type. */
export interface RegularFileFailure {
  readonly reason: RegularFileReason;
  /** The public function that read the file. */
  readonly fn: string;
  /** The path as the caller gave it. */
  readonly path: string;
  /** What went wrong, e.g. `not a regular file`. */
  readonly message: string;
  readonly expected: string;
  readonly found: string;
}

/** Options of {@link openRegularFile} and {@link readExactly}. */
export interface RegularFileOptions {
  /** The public function named in errors (default `openRegularFile`). */
  readonly fn?: string;
  /** The largest size accepted, by `fstat`, before a byte is read (default: no bound). */
  readonly maxBytes?: number;
  /** Refuse a symlink at the last path component (`O_NOFOLLOW`) instead of following it (default false). */
  readonly noFollow?: boolean;
  /** Builds the error thrown for a refusal (default: core's `ValueError` from the failure's fields). */
  readonly fail?: (failure: RegularFileFailure) => Error;
}

/**
 * What `fstat` says a path that is not a regular file is, in words for messages: `a directory`, `a FIFO`,
 * `a character device`, `a block device`, `a socket`, else `not a regular file`.
 *
 * @example
 * import { stat } from 'node:fs/promises';
 * describeFileKind(await stat('/dev/zero')); // 'a character device'
 */
export function describeFileKind(
  stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>,
): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

const defaultFail = (f: RegularFileFailure): Error =>
  new ValueError(f.fn, `${f.path}: ${f.message}`, f.expected, f.found);

const codeOf = (e: unknown): string => (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes: `open(O_RDONLY | O_NONBLOCK`
 * [`| O_NOFOLLOW`]`)`, then `fstat` of the descriptor. Refusals go through `fail`: `open` (`found` is the errno
 * code, e.g. `ENOENT`), `kind` (`found` is {@link describeFileKind}), `size` (`found` is `<size> bytes`). Nothing
 * is read; the caller closes the handle.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('train.csv', 'a,b\n1,2\n');
 * const { handle, size } = await openRegularFile('train.csv', { fn: 'readCsvPath', maxBytes: 2 ** 28 });
 * try { console.log(size); } finally { await handle.close(); }
 */
export async function openRegularFile(
  path: string,
  options: RegularFileOptions = {},
): Promise<{ handle: FileHandle; size: number }> {
  const fn = options.fn ?? 'openRegularFile';
  const fail = options.fail ?? defaultFail;
  const refuse = (reason: RegularFileReason, message: string, expected: string, found: string): never => {
    throw fail({ reason, fn, path, message, expected, found });
  };
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (e) {
    return refuse('open', 'cannot open the file', 'a readable regular file', codeOf(e));
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) refuse('kind', 'not a regular file', 'a regular file', describeFileKind(stats));
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (stats.size > max) refuse('size', 'file larger than maxBytes', `at most ${max} bytes`, `${stats.size} bytes`);
    return { handle, size: stats.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads exactly `length` bytes at `position` of an open file into one buffer allocated once, never more. A file
 * that ends early (it shrank since its `fstat`) is refused as `changed`; with `toEnd`, so is one that has a byte
 * after them (it grew). A failed read is refused as `read`.
 *
 * @example
 * const { handle, size } = await openRegularFile('/etc/hostname', { maxBytes: 1 << 20 });
 * try { const bytes = await readExactly(handle, { length: size, toEnd: true }); } finally { await handle.close(); }
 */
export async function readExactly(
  handle: FileHandle,
  options: Omit<RegularFileOptions, 'maxBytes' | 'noFollow'> & {
    readonly length: number;
    readonly position?: number;
    readonly toEnd?: boolean;
    /** The path shown in errors (default `the file`). */
    readonly path?: string;
  },
): Promise<Uint8Array> {
  const { length, position = 0 } = options;
  const fn = options.fn ?? 'readExactly';
  const fail = options.fail ?? defaultFail;
  const path = options.path ?? 'the file';
  const out = new Uint8Array(length);
  let done = 0;
  let extra = 0;
  try {
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (options.toEnd && done === length)
      extra = (await handle.read(new Uint8Array(1), 0, 1, position + done)).bytesRead;
  } catch (e) {
    throw fail({
      reason: 'read',
      fn,
      path,
      message: 'cannot read the file',
      expected: 'a readable regular file',
      found: codeOf(e),
    });
  }
  if (done !== length || extra !== 0) {
    throw fail({
      reason: 'changed',
      fn,
      path,
      message: 'the file changed while it was read',
      expected: `${length} bytes`,
      found: done !== length ? `${done} bytes` : 'more bytes',
    });
  }
  return out;
}
