/// <reference types="node" />
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { openRegularFile, readExactly as readChecked } from '@latentlab/core/node';
import { ModelFormatError } from './format.js';

/** An open regular file inside a model directory, with the size `fstat` gave for the open descriptor. */
export interface ConfinedFile {
  /** The name as the manifest gave it (what errors show). */
  readonly name: string;
  readonly size: number;
  readonly handle: fs.FileHandle;
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
 * import { mkdir, writeFile } from 'node:fs/promises';
 * await mkdir('runs/vae', { recursive: true });
 * await writeFile('runs/vae/weights.abc.bin', new Uint8Array(16));
 * const file = await openConfined('loadModel', 'runs/vae', 'weights.abc.bin'); // file.size from fstat: 16
 * await file.handle.close();
 */
export async function openConfined(
  fn: string,
  dir: string,
  name: unknown,
  what = 'weights path',
): Promise<ConfinedFile> {
  const error = (why: string, found: string) =>
    new ModelFormatError(fn, `${what} ${JSON.stringify(name)} ${why}`, `a regular file inside ${dir}`, found);
  const refuse = (why: string, found: string): never => {
    throw error(why, found);
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
  // Non-blocking, without following a link (a link swapped in after `realpath` fails), regular by `fstat`.
  const { handle, size } = await openRegularFile(real, {
    fn,
    noFollow: true,
    fail: (f) => error(f.reason === 'kind' ? 'is not a regular file' : 'cannot be opened', f.found),
  });
  return { name, size, handle };
}

/**
 * Reads exactly `file.size` bytes (the size checked against the manifest) from an open {@link ConfinedFile}:
 * never more, whatever the file does meanwhile; a file that shrank or grew since its `fstat` is refused.
 *
 * @example
 * import { mkdir, writeFile } from 'node:fs/promises';
 * await mkdir('runs/vae', { recursive: true });
 * await writeFile('runs/vae/weights.abc.bin', new Uint8Array(16));
 * const file = await openConfined('loadModel', 'runs/vae', 'weights.abc.bin');
 * const bytes = await readExactly('loadModel', file); // Uint8Array of file.size bytes
 * await file.handle.close();
 */
export function readExactly(fn: string, file: ConfinedFile): Promise<Uint8Array> {
  return readChecked(file.handle, {
    fn,
    length: file.size,
    toEnd: true,
    fail: (f) =>
      new ModelFormatError(
        fn,
        f.reason === 'changed' ? `${file.name} changed while it was read` : `${file.name} cannot be read`,
        f.expected,
        f.found,
      ),
  });
}
