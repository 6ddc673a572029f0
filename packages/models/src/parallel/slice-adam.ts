import { type AdamStepScalars, adamUpdate } from '../ops/adam-update.js';
import { adamOn } from '../ops/wasm/adam-module.js';
import type { SharedArrays, SliceAdamKind } from './protocol.js';

/**
 * A worker's Adam update of its slice [lo, hi) of θ in a `trainInWorkers` run, with g = Σ_w g_w already summed into
 * worker 0's gradient: m ← m + (1 − β₁)(g − m), v ← v + (1 − β₂)(g² − v), θ ← θ − α_t·m/(√v + ε̂_t)
 * (ops/adam-update.ts). With `'simd'`, where θ, m, v and the gradients live in a shared WebAssembly memory
 * ({@link SharedArrays.memory}) and the engine has 128-bit SIMD: one call of the SIMD update
 * (ops/wasm/adam-module.ts, float32 arithmetic, as `FusedAdam` on the wasm backend) on that memory, in place;
 * otherwise (or with `'js'`, FusedAdam's `update: 'js'`) adam-update.ts's loop, float64 arithmetic. Either way
 * nothing outside [lo, hi) is touched. Returns the update and which of the two it is.
 *
 * @example
 * import { adamStepScalars } from '../ops/adam-update.js';
 * import { thetaMemory } from './shared-state.js';
 * const theta = thetaMemory(4, 1); // P = 4, one worker
 * theta.params.fill(1);
 * theta.grads.fill(2);
 * const adam = sliceAdam(theta, 0, 4, 'simd'); // adam.kind: 'simd' (or 'js' in an engine without SIMD)
 * adam.update(adamStepScalars({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1));
 * // theta.params ≈ [0.9, 0.9, 0.9, 0.9]: Adam's first step moves every weight by about lr
 */
export function sliceAdam(
  shared: Pick<SharedArrays, 'memory' | 'params' | 'm' | 'v' | 'grads'>,
  lo: number,
  hi: number,
  how: SliceAdamKind,
): { kind: SliceAdamKind; update: (s: AdamStepScalars) => void } {
  const { memory, params, m, v, grads } = shared;
  const simd = memory && how === 'simd' ? adamOn(memory) : null;
  if (!simd) return { kind: 'js', update: (s) => adamUpdate(s, grads, m, v, params, params, lo, hi) };
  const [g, mAt, vAt, w] = [grads, m, v, params].map((a) => a.byteOffset + lo * 4);
  return {
    kind: 'simd',
    update: ({ c1, c2, alpha, epsHat }) => simd(g!, mAt!, vAt!, w!, mAt!, vAt!, w!, hi - lo, c1, c2, alpha, epsHat),
  };
}
