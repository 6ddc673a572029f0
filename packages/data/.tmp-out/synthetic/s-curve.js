import { createDataset } from '../dataset.js';
import { Prng } from '../prng.js';
import { checkSynthetic } from './options.js';
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
export function sCurve(options) {
    const { n, noise, seed } = checkSynthetic('sCurve', options);
    const rng = new Prng(seed);
    const x = new Float32Array(n * 3);
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
        const ti = 3 * Math.PI * (rng.next() - 0.5);
        const y = 2 * rng.next();
        x[3 * i] = Math.sin(ti) + noise * rng.normal();
        x[3 * i + 1] = y + noise * rng.normal();
        x[3 * i + 2] = Math.sign(ti) * (Math.cos(ti) - 1) + noise * rng.normal();
        t[i] = ti;
    }
    return createDataset({ name: 's-curve', x, shape: [n, 3], t });
}
