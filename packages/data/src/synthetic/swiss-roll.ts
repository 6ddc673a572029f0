import type { Dataset } from '../dataset.js';
import { checkSynthetic, type SyntheticOptions } from './options.js';
import { noisySurface } from './surface.js';

/**
 * The Swiss roll: a 2-D sheet rolled up in 3-D, the classic test of nonlinear dimensionality reduction
 * (Roweis & Saul, 2000; scikit-learn's `make_swiss_roll`). With u, v ~ U[0, 1):
 *
 *     t = 1.5π (1 + 2u),   x = t cos t,   y = 21 v,   z = t sin t,   each coordinate + N(0, noise²)
 *
 * Returns shape [n, 3] float32 with `t` (the position along the roll) as the colour coordinate.
 *
 * @example
 * const roll = swissRoll({ n: 1500, noise: 0.05, seed: 1 });
 * roll.shape; // [1500, 3]
 */
export function swissRoll(options: SyntheticOptions): Dataset {
  return noisySurface('swiss-roll', checkSynthetic('swissRoll', options), {
    t: (u) => 1.5 * Math.PI * (1 + 2 * u),
    y: (v) => 21 * v,
    point: (t, y) => [t * Math.cos(t), y, t * Math.sin(t)],
  });
}
