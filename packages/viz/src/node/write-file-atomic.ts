/// <reference types="node" />
/**
 * A copy of `writeFileAtomic` from `@latentlab/core/node`, kept here on purpose: `@latentlab/viz` depends on
 * neither core nor TensorFlow.js (core declares `@tensorflow/tfjs-core` as a peer), so it cannot import the shared
 * helper. Same rule: an exclusive temp file `.<name>.<pid>.<random>.tmp` beside the target (`O_EXCL | O_NOFOLLOW`),
 * written and fsynced, then renamed over the target, so a reader never sees half a file and a symlink planted at
 * the target is replaced, never written through. (core's `removeStaleTemps` recognises these temp files.)
 * Callers that do depend on core (the CLI) pass core's helper to `writeReport` as `writeFile` instead.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes `data` to `file` atomically without following a link at `file` (see the module comment).
 *
 * @example
 * await writeFileAtomic('report/index.html', html);
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const random = Math.floor(Math.random() * 2 ** 48).toString(36);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${random}.tmp`);
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
}
