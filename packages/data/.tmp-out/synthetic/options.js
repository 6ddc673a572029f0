/** Option checks shared by the synthetic generators. */
import { DatasetError } from '../errors.js';
import { checkSeed } from '../prng.js';
/** Checks n, noise and seed; returns them with defaults filled in (seed reduced to uint32). */
export function checkSynthetic(fn, options) {
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
