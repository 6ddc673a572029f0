/// <reference types="node" />
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ModelFormatError } from './format.js';

/** An open regular file inside a model directory, with the size `fstat` gave for the open descriptor. */
export interface ConfinedFile {
  /** The name as the manifest gave it (what errors show). */
  readonly name: string;
  readonly size: number;
  readonly handle: fs.FileHandle;
}

/** What `fstat` says a path is, in words (for the error). */
function kindOf(stat: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** True when `inner` (both absolute, resolved) is `outer` or below it. */
function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Opens the file `name` of a model directory under one rule: `name` is a relative path; after every symlink is
 * resolved (`realpath`) it is still inside `dir` (itself resolved); it is opened non-blocking (a FIFO cannot
 * hang the open) and without following a link (a link swapped in after `realpath` fails); `fstat` of the open
 * descriptor says it is a regular file. Nothing is read. Anything else (an absolute path, `../`, a link out of
 * the directory, a device, a FIFO, a directory, a missing file) is a {@link ModelFormatError} naming `name` and
 * why (`found` is the errno code, e.g. `ENOENT`, when the file system refused), never the size or contents of
 * a file outside `dir`. The caller closes the handle.
 *
 * @example
 * const file = await openConfined('loadModel', 'runs/vae', 'weights.abc.bin'); // file.size from fstat
 * await file.handle.close();
 */
export async function openConfined(
  fn: string,
  dir: string,
  name: unknown,
  what = 'weights path',
): Promise<ConfinedFile> {
  const refuse = (why: string, found: string): never => {
    throw new ModelFormatError(fn, `${what} ${JSON.stringify(name)} ${why}`, `a regular file inside ${dir}`, found);
  };
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    return refuse('is not a file name', typeof name === 'string' ? 'an empty or NUL-containing string' : typeof name);
  }
  if (path.isAbsolute(name) || path.win32.isAbsolute(name)) return refuse('is absolute', 'an absolute path');
  const root = path.resolve(dir);
  const lexical = path.resolve(root, name);
  if (!isInside(root, lexical)) return refuse('leaves the model directory', 'a path outside it');
  let realRoot: string;
  let real: string;
  try {
    realRoot = await fs.realpath(root);
    real = await fs.realpath(lexical);
  } catch (error) {
    return refuse('is missing or unreadable', String((error as NodeJS.ErrnoException).code ?? error));
  }
  if (!isInside(realRoot, real)) return refuse('resolves outside the model directory', 'a link to a file outside it');
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(real, flags);
  } catch (error) {
    return refuse('cannot be opened', String((error as NodeJS.ErrnoException).code ?? error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) refuse('is not a regular file', kindOf(stat));
    return { name, size: stat.size, handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads exactly `file.size` bytes (the size checked against the manifest) from an open {@link ConfinedFile}:
 * never more, whatever the file does meanwhile; a file that shrank or grew since its `fstat` is refused.
 *
 * @example
 * const bytes = await readExactly('loadModel', file); // Uint8Array of file.size bytes
 */
export async function readExactly(fn: string, file: ConfinedFile): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  let at = 0;
  while (at < out.length) {
    const { bytesRead } = await file.handle.read(out, at, out.length - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  const probe = new Uint8Array(1);
  const extra = at === out.length ? (await file.handle.read(probe, 0, 1, at)).bytesRead : 0;
  if (at !== out.length || extra !== 0) {
    throw new ModelFormatError(
      fn,
      `${file.name} changed while it was read`,
      `${file.size} bytes`,
      at !== out.length ? `${at} bytes` : 'more bytes',
    );
  }
  return out;
}
