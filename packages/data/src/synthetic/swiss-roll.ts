import { createDataset, type Dataset } from '../dataset.js';
import { Prng } from '../prng.js';
import { checkSynthetic, type SyntheticOptions } from './options.js';

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
  const { n, noise, seed } = checkSynthetic('swissRoll', options);
  const rng = new Prng(seed);
  const x = new Float32Array(n * 3);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ti = 1.5 * Math.PI * (1 + 2 * rng.next());
    const y = 21 * rng.next();
    x[3 * i] = ti * Math.cos(ti) + noise * rng.normal();
    x[3 * i + 1] = y + noise * rng.normal();
    x[3 * i + 2] = ti * Math.sin(ti) + noise * rng.normal();
    t[i] = ti;
  }
  return createDataset({ name: 'swiss-roll', x, shape: [n, 3], t });
}
