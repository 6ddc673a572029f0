import { createDataset, type Dataset } from '../dataset.js';
import { Prng } from '../prng.js';

/**
 * n points of a surface in R³ parameterised by (t, y), as scikit-learn's `make_s_curve` / `make_swiss_roll` draw
 * them: per point, u, v ~ U[0, 1) give t = param.t(u) and y = param.y(v), then each coordinate of
 * param.point(t, y) gets N(0, noise²) added, in the order x, y, z. Returns shape [n, 3] float32 with `t` as the
 * colour coordinate.
 *
 * @example
 * noisySurface('plane', { n: 10, noise: 0, seed: 1 }, { t: (u) => u, y: (v) => v, point: (t, y) => [t, y, 0] });
 */
export function noisySurface(
  name: string,
  { n, noise, seed }: { n: number; noise: number; seed: number },
  param: { t: (u: number) => number; y: (v: number) => number; point: (t: number, y: number) => number[] },
): Dataset {
  const rng = new Prng(seed);
  const x = new Float32Array(n * 3);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ti = param.t(rng.next());
    const p = param.point(ti, param.y(rng.next()));
    for (let c = 0; c < 3; c++) x[3 * i + c] = p[c]! + noise * rng.normal();
    t[i] = ti;
  }
  return createDataset({ name, x, shape: [n, 3], t });
}
