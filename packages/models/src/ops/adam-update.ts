/**
 * The Adam update written once, for {@link FusedAdam}'s JavaScript path and the worker pool of `trainInWorkers`
 * (Kingma & Ba 2015, Algorithm 1, with the bias corrections folded into the step size):
 *
 *   α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ),  ε̂_t = ε·√(1 − β₂ᵗ)
 *   m ← m + (1 − β₁)(g − m),  v ← v + (1 − β₂)(g² − v),  θ ← θ − α_t·m/(√v + ε̂_t)
 *
 * in float64 arithmetic with float32 storage, in this order of operations, so every caller gets the same bits.
 */

/** The per-step scalars of {@link adamUpdate}: c₁ = 1 − β₁, c₂ = 1 − β₂, α_t and ε̂_t. */
export interface AdamStepScalars {
  readonly c1: number;
  readonly c2: number;
  readonly alpha: number;
  readonly epsHat: number;
}

/**
 * The scalars of Adam step `t` (1-based): α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), ε̂_t = ε·√(1 − β₂ᵗ), c₁ = 1 − β₁, c₂ = 1 − β₂.
 *
 * @example
 * const s = adamStepScalars({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1);
 * // s.alpha = 1e-3 · √0.001 / 0.1
 */
export function adamStepScalars(
  config: { readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number },
  t: number,
): AdamStepScalars {
  const { learningRate, beta1, beta2, epsilon } = config;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  return {
    c1: 1 - beta1,
    c2: 1 - beta2,
    alpha: (learningRate * bc2Sqrt) / (1 - beta1 ** t),
    epsHat: epsilon * bc2Sqrt,
  };
}

/**
 * One Adam update of elements [start, end): reads the gradient `g` and weights `w`, updates the moments `m` and
 * `v` in place and writes the new weights to `out` (which may be `w` itself).
 *
 * @example
 * const w = Float32Array.of(1), m = new Float32Array(1), v = new Float32Array(1);
 * adamUpdate(adamStepScalars({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1), Float32Array.of(2), m, v, w, w);
 * // w[0] ≈ 1 − 0.1 (the first step moves each weight by about lr)
 */
export function adamUpdate(
  s: AdamStepScalars,
  g: ArrayLike<number>,
  m: Float32Array,
  v: Float32Array,
  w: ArrayLike<number>,
  out: Float32Array,
  start = 0,
  end = out.length,
): void {
  const { c1, c2, alpha, epsHat } = s;
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const mi = m[i]! + (gi - m[i]!) * c1;
    const vi = v[i]! + (gi * gi - v[i]!) * c2;
    m[i] = mi;
    v[i] = vi;
    out[i] = w[i]! - (alpha * mi) / (Math.sqrt(vi) + epsHat);
  }
}
