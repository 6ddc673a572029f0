/// <reference types="node" />
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { noisyLinearSubspace } from '@latentlab/data';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

/** What one `main()` call printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main(argv)` in this process, collecting stdout and stderr. */
export async function runCli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * Writes `n` points near a `rank`-dimensional subspace of R^dim as a CSV (optionally with a header line) and
 * returns its path. Values are shifted by `offset` and scaled by `scale` (0.5, 0.2 put them roughly in [0, 1]).
 */
export async function writePointsCsv(
  file: string,
  options: { n: number; dim: number; rank: number; seed: number; header?: boolean; offset?: number; scale?: number },
): Promise<string> {
  const { n, dim, rank, seed, header = false, offset = 0, scale = 1 } = options;
  const { dataset } = noisyLinearSubspace({ n, dim, rank, noise: 0.1, seed });
  const x = Array.from(dataset.x as ArrayLike<number>, (v) => offset + scale * v);
  const rows = Array.from({ length: n }, (_, r) => x.slice(r * dim, r * dim + dim).join(','));
  const head = header ? `${Array.from({ length: dim }, (_, j) => `f${j}`).join(',')}\n` : '';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${head}${rows.join('\n')}\n`);
  return file;
}
