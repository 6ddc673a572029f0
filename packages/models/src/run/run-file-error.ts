import { LatentlabError } from '@latentlab/core';

/**
 * A run directory whose `run.json` (or training history) is missing, not JSON, or of the wrong shape; also the
 * CLI's error for an unreadable data file (exit code 1 there). The message reads
 * `runs/vae/run.json: field "epochs": expected an integer ≥ 1, found "ten"`.
 *
 * @example
 * // throws RunFileError: runs/vae/run.json: field "epochs": expected an integer ≥ 1, found "ten"
 * throw new RunFileError('runs/vae/run.json', 'field "epochs"', 'an integer ≥ 1', '"ten"');
 */
export class RunFileError extends LatentlabError {
  override name = 'RunFileError';
  constructor(file: string, what: string, expected: string, found: string) {
    super(file, what, expected, found);
    this.message = `${file}: ${what}: expected ${expected}, found ${found}`;
  }
}
