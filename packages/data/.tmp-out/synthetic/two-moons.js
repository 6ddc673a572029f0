import { createDataset } from '../dataset.js';
import { Prng } from '../prng.js';
import { checkSynthetic } from './options.js';
/**
 * Two interleaving half circles of radius 1 (scikit-learn's `make_moons`): ⌈n/2⌉ points of class 0 on the
 * upper half of the circle centred at (0, 0) and ⌊n/2⌋ of class 1 on the lower half of the one centred at
 * (1, ½), at evenly spaced angles θₖ = πk/(m − 1), k = 0..m−1:
 *
 *     class 0: (cos θ, sin θ)        class 1: (1 − cos θ, ½ − sin θ)        + N(0, noise²) per coordinate
 *
 * Returns shape [n, 2] float32 with labels and classNames ['outer', 'inner'], and `t` = θ.
 *
 * @example
 * const moons = twoMoons({ n: 200, noise: 0.1, seed: 0 });
 * moons.labels; // Uint8Array: 100 zeros then 100 ones
 */
export function twoMoons(options) {
    const { n, noise, seed } = checkSynthetic('twoMoons', options);
    const rng = new Prng(seed);
    const nOuter = Math.ceil(n / 2);
    const x = new Float32Array(n * 2);
    const labels = new Uint8Array(n);
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
        const inner = i >= nOuter;
        const m = inner ? n - nOuter : nOuter;
        const k = inner ? i - nOuter : i;
        const theta = m > 1 ? (Math.PI * k) / (m - 1) : 0;
        x[2 * i] = (inner ? 1 - Math.cos(theta) : Math.cos(theta)) + noise * rng.normal();
        x[2 * i + 1] = (inner ? 0.5 - Math.sin(theta) : Math.sin(theta)) + noise * rng.normal();
        labels[i] = inner ? 1 : 0;
        t[i] = theta;
    }
    return createDataset({ name: 'two-moons', x, shape: [n, 2], labels, classNames: ['outer', 'inner'], t });
}
