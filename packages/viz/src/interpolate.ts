import { VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';

/** How `interpolate` walks from a to b: a straight line, or spherical (slerp, for Gaussian codes). */
export type InterpolationMethod = 'linear' | 'slerp';

/**
 * `steps` codes from `a` to `b` (both included), at t_i = i / (steps − 1).
 * - linear: z(t) = (1 − t)·a + t·b
 * - slerp (Shoemake 1985; White 2016, "Sampling Generative Networks"):
 *   z(t) = sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, with cos Ω = a·b / (‖a‖‖b‖).
 *   It follows the great circle, so codes keep the typical norm √d of a Gaussian prior instead of shrinking
 *   through the origin. When sin Ω ≈ 0 (parallel codes) it falls back to linear.
 *
 * @example
 * interpolate([1, 0], [0, 1], 3, 'slerp')[1]; // Float32Array [0.7071, 0.7071]
 */
export function interpolate(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  steps: number,
  method: InterpolationMethod = 'linear',
): Float32Array[] {
  const fn = 'interpolate';
  if (a.length !== b.length || a.length === 0) {
    throw new VizShapeError(
      fn,
      'codes a and b must have the same non-zero length',
      `${a.length || '≥ 1'}`,
      `${b.length}`,
    );
  }
  if (!Number.isInteger(steps) || steps < 2) throw new VizValueError(fn, 'steps', 'an integer ≥ 2', String(steps));
  if (method !== 'linear' && method !== 'slerp')
    throw new VizValueError(fn, 'unknown method', "'linear' | 'slerp'", String(method));
  const d = a.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < d; j++) {
    const aj = a[j]!;
    const bj = b[j]!;
    if (!Number.isFinite(aj) || !Number.isFinite(bj)) {
      throw new VizNonFiniteError(fn, `dimension ${j} is not finite`, 'finite codes', `a=${aj}, b=${bj}`);
    }
    dot += aj * bj;
    na += aj * aj;
    nb += bj * bj;
  }
  let omega = 0;
  if (method === 'slerp' && na > 0 && nb > 0) omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const sinOmega = Math.sin(omega);
  const out: Float32Array[] = [];
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    let wa = 1 - t;
    let wb = t;
    if (method === 'slerp' && sinOmega > 1e-6) {
      wa = Math.sin((1 - t) * omega) / sinOmega;
      wb = Math.sin(t * omega) / sinOmega;
    }
    const z = new Float32Array(d);
    for (let j = 0; j < d; j++) z[j] = wa * a[j]! + wb * b[j]!;
    out.push(z);
  }
  return out;
}
