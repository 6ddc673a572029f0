import type { Dataset } from '../dataset.js';
import { checkSynthetic, type SyntheticOptions } from './options.js';
import { noisySurface } from './surface.js';

/**
 * The S-curve (scikit-learn's `make_s_curve`): a 2-D sheet bent into an S in 3-D. With u, v ~ U[0, 1):
 *
 *     t = 3π (u − ½),   x = sin t,   y = 2 v,   z = sign(t) (cos t − 1),   each coordinate + N(0, noise²)
 *
 * Returns shape [n, 3] float32 with `t` as the colour coordinate.
 *
 * @example
 * const s = sCurve({ n: 1000, seed: 3 });
 * s.t; // Float32Array of length 1000, in [−1.5π, 1.5π)
 */
export function sCurve(options: SyntheticOptions): Dataset {
  return noisySurface('s-curve', checkSynthetic('sCurve', options), {
    t: (u) => 3 * Math.PI * (u - 0.5),
    y: (v) => 2 * v,
    point: (t, y) => [Math.sin(t), y, Math.sign(t) * (Math.cos(t) - 1)],
  });
}
