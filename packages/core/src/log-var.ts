import { clipByValue, type Tensor } from '@tensorflow/tfjs-core';

/**
 * The range logVar = log σ² is clamped to before it is exponentiated.
 *
 * σ² = exp(logVar) overflows float32 (max ≈ 3.4e38) above logVar ≈ 88, and a network's raw output can
 * reach ±100 early in training. Within [−30, 20], σ² ∈ [9.4e−14, 4.9e8]: wide enough for any sane posterior,
 * narrow enough that exp, its square and KL stay finite on every backend (WebGL included).
 * Outside the range the gradient with respect to logVar is zero (clipByValue), which only pushes a runaway
 * value no further.
 */
export const LOG_VAR_RANGE = Object.freeze({ min: -30, max: 20 });

/** clamp(logVar, LOG_VAR_RANGE.min, LOG_VAR_RANGE.max), element-wise. */
export function clampLogVar<T extends Tensor>(logVar: T): T {
  return clipByValue(logVar, LOG_VAR_RANGE.min, LOG_VAR_RANGE.max) as T;
}
