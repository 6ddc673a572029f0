import { LatentlabError } from '@latentlab/core';

/**
 * A bad command line: an unknown command or flag, a missing or malformed value. Exit code 2 (see `exit-codes.ts`).
 * The message reads `--epochs: expected an integer ≥ 1, found "0"`.
 *
 * @example
 * throw new UsageError('--out', 'a run directory', 'nothing');
 */
export class UsageError extends LatentlabError {
  override name = 'UsageError';
  constructor(option: string, expected: string, found: string) {
    super(option, 'bad command line', expected, found);
    this.message = `${option}: expected ${expected}, found ${found}`;
  }
}

/**
 * A request that would need more memory than the stated limit (`LATENTLAB_MAX_MEMORY_MB`, see `memory.ts`),
 * refused before anything is allocated. Exit code 3.
 *
 * @example
 * throw new ResourceError('sample -n', 'at most 2.0 GiB', 'about 18.7 GiB (2000000 rows × 784 features × 4 B × 3)');
 */
export class ResourceError extends LatentlabError {
  override name = 'ResourceError';
  constructor(what: string, expected: string, found: string) {
    super(what, 'needs more memory than the limit', expected, found);
    this.message = `${what}: needs more memory than the limit: expected ${expected}, found ${found}`;
  }
}

/** A bad run directory or data file (exit code 1): the run-directory helpers' error, from `@latentlab/models/node`. */
export { RunFileError } from '@latentlab/models/node';
