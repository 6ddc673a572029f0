import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueError } from '../errors.js';
import { removeStaleTemps, writeFileAtomic } from './write-file-atomic.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentlab-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the bytes and leaves no temp file', async () => {
    const file = path.join(dir, 'run.json');
    await writeFileAtomic(file, '{"a":1}');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir)).toEqual(['run.json']);
  });

  it('replaces a planted symlink instead of writing through it', async () => {
    const outside = path.join(dir, 'outside.txt');
    fs.writeFileSync(outside, 'secret');
    const before = fs.statSync(outside).mtimeMs;
    const runDir = path.join(dir, 'run');
    fs.mkdirSync(runDir);
    const target = path.join(runDir, 'metrics.json');
    fs.symlinkSync(outside, target);
    await writeFileAtomic(target, 'new');
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret');
    expect(fs.statSync(outside).mtimeMs).toBe(before);
    expect(fs.lstatSync(target).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  it('refuses a directory target with a ValueError and leaves nothing behind', async () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    await expect(writeFileAtomic(path.join(dir, 'sub'), 'x')).rejects.toBeInstanceOf(ValueError);
    expect(fs.readdirSync(dir)).toEqual(['sub']);
  });

  it('keeps the old file when the write fails (missing directory)', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'a.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('removeStaleTemps', () => {
  it("removes a dead writer's temp file, keeps a live one's and other files", async () => {
    // A pid that is certainly gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = `.run.json.${dead}.abc.tmp`;
    const live = `.run.json.${process.ppid}.def.tmp`;
    for (const name of [stale, live, 'run.json', '.hidden.tmp']) fs.writeFileSync(path.join(dir, name), 'x');
    expect(await removeStaleTemps(dir)).toEqual([stale]);
    expect(fs.readdirSync(dir).sort()).toEqual(['.hidden.tmp', live, 'run.json'].sort());
  });

  it('returns nothing for a missing directory', async () => {
    expect(await removeStaleTemps(path.join(dir, 'none'))).toEqual([]);
  });
});
