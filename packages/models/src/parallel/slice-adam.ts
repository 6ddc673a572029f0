import { type AdamStepScalars, adamUpdate } from '../ops/adam-update.js';
import { adamOn } from '../ops/wasm/adam-module.js';
import type { SharedArrays, SliceAdamKind } from './protocol.js';

/**
 * A worker's Adam update of its slice [lo, hi) of θ in a `trainInWorkers` run, from the gradients of the first
 * `terms` workers (those that computed the step; default all W): g = Σ_{w<terms} g_w (summed into worker 0's
 * gradient, on the slice), then m ← m + (1 − β₁)(g − m),
 * v ← v + (1 − β₂)(g² − v), θ ← θ − α_t·m/(√v + ε̂_t) (ops/adam-update.ts). With `'simd'`, where θ, m, v and the
 * gradients live in a shared WebAssembly memory ({@link SharedArrays.memory}) and the engine has 128-bit SIMD:
 * terms − 1 calls of the SIMD sum and one of the SIMD update (ops/wasm/adam-module.ts, float32 arithmetic, as
 * `FusedAdam` on the wasm backend) on that memory, in place; otherwise (or with `'js'`, FusedAdam's
 * `update: 'js'`) a JavaScript sum and adam-update.ts's loop, float64 arithmetic. Either way nothing outside
 * [lo, hi) is written, and only worker 0's gradient is. Returns the update and which of the two it is.
 *
 * @example
 * import { adamStepScalars } from '../ops/adam-update.js';
 * import { thetaMemory } from './shared-state.js';
 * const theta = thetaMemory(4, 2); // P = 4, two workers
 * theta.params.fill(1);
 * theta.grads.fill(1); // each worker's gradient 1: g = 2
 * const adam = sliceAdam(theta, 0, 4, 'simd'); // adam.kind: 'simd' (or 'js' in an engine without SIMD)
 * adam.update(adamStepScalars({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1));
 * // theta.params ≈ [0.9, 0.9, 0.9, 0.9]: Adam's first step moves every weight by about lr
 */
export function sliceAdam(
  shared: Pick<SharedArrays, 'memory' | 'params' | 'm' | 'v' | 'grads'>,
  lo: number,
  hi: number,
  how: SliceAdamKind,
  terms = shared.grads.length / shared.params.length,
): { kind: SliceAdamKind; update: (s: AdamStepScalars) => void } {
  const { memory, params, m, v, grads } = shared;
  const P = params.length;
  const simd = memory && how === 'simd' ? adamOn(memory) : null;
  if (!simd) {
    const parts = Array.from({ length: terms }, (_, w) => grads.subarray(w * P, (w + 1) * P));
    return {
      kind: 'js',
      update: (s) => {
        sumInto(parts, lo, hi);
        adamUpdate(s, grads, m, v, params, params, lo, hi);
      },
    };
  }
  const [g, mAt, vAt, w] = [grads, m, v, params].map((a) => a.byteOffset + lo * 4) as [number, number, number, number];
  const others = Array.from({ length: terms - 1 }, (_, k) => g + (k + 1) * P * 4); // g_w's slice, 1 ≤ w < terms
  const n = hi - lo;
  return {
    kind: 'simd',
    update: ({ c1, c2, alpha, epsHat }) => {
      for (const from of others) simd.add(g, from, n);
      simd.adam(g, mAt, vAt, w, mAt, vAt, w, n, c1, c2, alpha, epsHat);
    },
  };
}

/** parts[0][i] += Σ_{w ≥ 1} parts[w][i] for i in [lo, hi). */
function sumInto(parts: Float32Array[], lo: number, hi: number): void {
  const first = parts[0]!;
  for (let w = 1; w < parts.length; w++) {
    const part = parts[w]!;
    for (let i = lo; i < hi; i++) first[i] = first[i]! + part[i]!;
  }
}
