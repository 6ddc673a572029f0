import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueError } from '../errors.js';
import { describeFileKind, openRegularFile, type RegularFileFailure, readExactly } from './regular-file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentlab-regular-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

class MyError extends Error {
  constructor(readonly failure: RegularFileFailure) {
    super(failure.message);
  }
}
const fail = (f: RegularFileFailure) => new MyError(f);
const reasonOf = async (p: Promise<unknown>): Promise<RegularFileFailure> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(MyError);
  return (e as MyError).failure;
};

describe('openRegularFile', () => {
  it('opens a regular file and reports its fstat size; readExactly reads those bytes', async () => {
    const file = path.join(dir, 'a.bin');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    fs.writeFileSync(file, bytes);
    const { handle, size } = await openRegularFile(file, { maxBytes: 1000 });
    try {
      expect(size).toBe(1000);
      expect([...(await readExactly(handle, { length: size, toEnd: true }))]).toEqual([...bytes]);
      expect([...(await readExactly(handle, { position: 10, length: 5 }))]).toEqual([...bytes.subarray(10, 15)]);
    } finally {
      await handle.close();
    }
  });

  it('refuses a missing file, a directory, a FIFO (without hanging) and /dev/zero, in words', async () => {
    expect(await reasonOf(openRegularFile(path.join(dir, 'none'), { fail }))).toMatchObject({
      reason: 'open',
      found: 'ENOENT',
    });
    expect(await reasonOf(openRegularFile(dir, { fail }))).toMatchObject({ reason: 'kind', found: 'a directory' });
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await reasonOf(openRegularFile(fifo, { fail }))).toMatchObject({ reason: 'kind', found: 'a FIFO' });
    expect(await reasonOf(openRegularFile('/dev/zero', { fail }))).toMatchObject({
      reason: 'kind',
      found: 'a character device',
    });
  });

  it('refuses a file over maxBytes before reading, and by default with a ValueError naming fn and path', async () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, new Uint8Array(101));
    expect(await reasonOf(openRegularFile(file, { maxBytes: 100, fail }))).toMatchObject({
      reason: 'size',
      expected: 'at most 100 bytes',
      found: '101 bytes',
    });
    const e = await openRegularFile(file, { fn: 'loadThing', maxBytes: 100 }).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(ValueError);
    expect((e as ValueError).fn).toBe('loadThing');
    expect((e as ValueError).message).toContain(file);
  });

  it('follows a symlink by default and refuses it with noFollow', async () => {
    const target = path.join(dir, 'target');
    fs.writeFileSync(target, 'abc');
    const link = path.join(dir, 'link');
    fs.symlinkSync(target, link);
    const { handle, size } = await openRegularFile(link);
    await handle.close();
    expect(size).toBe(3);
    expect(await reasonOf(openRegularFile(link, { noFollow: true, fail }))).toMatchObject({
      reason: 'open',
      found: 'ELOOP',
    });
  });
});

describe('readExactly', () => {
  it('refuses a file that shrank or (with toEnd) grew since its fstat', async () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, new Uint8Array(10));
    const { handle, size } = await openRegularFile(file);
    try {
      fs.truncateSync(file, 4);
      expect(await reasonOf(readExactly(handle, { length: size, fail }))).toMatchObject({
        reason: 'changed',
        expected: '10 bytes',
        found: '4 bytes',
      });
      fs.writeFileSync(file, new Uint8Array(12));
      expect(await reasonOf(readExactly(handle, { length: size, toEnd: true, fail }))).toMatchObject({
        reason: 'changed',
        found: 'more bytes',
      });
      expect((await readExactly(handle, { length: size })).length).toBe(10);
    } finally {
      await handle.close();
    }
  });
});

describe('describeFileKind', () => {
  it('names what fstat says', () => {
    expect(describeFileKind(fs.statSync(dir))).toBe('a directory');
    expect(describeFileKind(fs.statSync('/dev/null'))).toBe('a character device');
  });
});
