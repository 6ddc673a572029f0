/** Option checks shared by the synthetic generators. */

import { DatasetError } from '../errors.js';
import { checkSeed } from '../prng.js';

/** Options every synthetic generator takes. */
export interface SyntheticOptions {
  /** Number of examples, an integer ≥ 1. */
  n: number;
  /** Standard deviation of the isotropic Gaussian noise added to every coordinate (default 0). */
  noise?: number;
  /** Seed (default 0): the same seed gives the same data on every backend. */
  seed?: number;
}

/** Checks n, noise and seed; returns them with defaults filled in (seed reduced to uint32). */
export function checkSynthetic(fn: string, options: SyntheticOptions): { n: number; noise: number; seed: number } {
  if (options === null || typeof options !== 'object') {
    throw new DatasetError(fn, 'missing options', '{ n, noise?, seed? }', String(options));
  }
  const { n, noise = 0, seed = 0 } = options;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new DatasetError(fn, 'invalid n', 'an integer ≥ 1', String(n));
  }
  if (typeof noise !== 'number' || !(Number.isFinite(noise) && noise >= 0)) {
    throw new DatasetError(fn, 'invalid noise', 'a finite number ≥ 0', String(noise));
  }
  return { n, noise, seed: checkSeed(fn, seed) };
}
