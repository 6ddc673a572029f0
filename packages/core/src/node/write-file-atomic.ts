/// <reference types="node" />
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ValueError } from '../errors.js';

/**
 * The temp-file name of a write to `target`: `.<target>.<pid>.<random>.tmp` in the target's own directory, so the
 * final `rename` never crosses file systems and a leftover names the file it was meant for and who wrote it.
 */
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-z]+\.tmp$/;

function tempName(target: string): string {
  const random = Math.floor(Math.random() * 2 ** 48).toString(36);
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${random}.tmp`);
}

/**
 * Writes `data` to `file` so that a reader (or a crash) sees either the old file or the whole new one, and never
 * writes through a link planted at `file`:
 * 1. a temp file is created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`) beside the target, so it is new,
 *    ours, and not a link;
 * 2. the data is written and fsynced;
 * 3. the temp file is renamed over the target: `rename(2)` replaces a symlink at the target with the file
 *    itself and leaves whatever the link pointed to untouched;
 * 4. the directory is fsynced, so the rename survives a power cut (skipped where directories cannot be opened).
 * On any failure the temp file is removed and the target is as it was. A temp file that a killed process left
 * behind is removed by {@link removeStaleTemps}.
 * @throws {ValueError} naming `fn` when `file` is an existing directory.
 *
 * @example
 * import { mkdir } from 'node:fs/promises';
 * await mkdir('runs/vae', { recursive: true });
 * await writeFileAtomic('runs/vae/run.json', JSON.stringify({ model: 'vae' }));
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string, fn = 'writeFileAtomic'): Promise<void> {
  const existing = await fs.lstat(file).catch(() => null);
  if (existing?.isDirectory()) {
    throw new ValueError(fn, `${file} is a directory`, 'a file path', 'a directory');
  }
  const tmp = tempName(file);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(tmp, flags, 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/** fsyncs a directory (its entries: renames, creations); a no-op where that is not possible (Windows). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some platforms cannot fsync a directory; the renames are still atomic.
  }
}

/**
 * Removes the temp files of {@link writeFileAtomic} in `dir` whose writer is gone (a killed save), and returns
 * their names. A temp file of a process that is still running (another save in progress) is left alone.
 *
 * @example
 * await removeStaleTemps('runs/vae'); // ['.run.json.4711.k3j2.tmp'] after a `kill -9` inside a save
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = TEMP.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isRunning(pid)) continue; // a write still in flight (ours or another process's)
    const stat = await fs.lstat(path.join(dir, name)).catch(() => null);
    if (!stat?.isFile()) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
