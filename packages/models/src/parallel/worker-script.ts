/// <reference types="node" />
// How a training thread of `trainInWorkers` is started: which script, with which Node options.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WorkerTrainingError } from './worker-training-error.js';

/**
 * The built worker next to this module, or — when running from source (the package's own tests) — the bundle of
 * the worker's sources that the test setup writes (`scripts/bundle-worker.mjs`), so the workers run the code
 * under test. Throws a {@link WorkerTrainingError} naming what is missing.
 *
 * @example
 * const url = workerUrl('trainInWorkers'); // file:…/worker.js, or the test setup's bundle from source
 * // new Worker(url, { workerData, execArgv: workerExecArgv() }), as WorkerPool starts each thread
 */
export function workerUrl(fn: string): URL {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const url = fromSource ? new URL('../../.cache/parallel-worker.js', here) : new URL('./worker.js', here);
  if (!existsSync(fileURLToPath(url))) {
    const expected = fromSource
      ? "the worker bundled from source ('node scripts/bundle-worker.mjs', run by the test setup)"
      : 'a built package (pnpm build)';
    throw new WorkerTrainingError(fn, 'the worker script is missing', expected, url.href);
  }
  return url;
}

/**
 * The parent's Node options minus custom export conditions: the workers run JavaScript (the built package or the
 * test setup's bundle), and a condition such as the workspace's `@latentlab/source` (set by test runners) would
 * point their imports at TypeScript.
 *
 * @example
 * // process.execArgv = ['--conditions', '@latentlab/source', '--no-warnings']
 * workerExecArgv(); // ['--no-warnings']
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--conditions' || a === '-C') i++;
    else if (!a.startsWith('--conditions=') && !a.startsWith('-C=')) out.push(a);
  }
  return out;
}
