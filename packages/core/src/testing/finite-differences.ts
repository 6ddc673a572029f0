import { grad, sum, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { assertClose, type CloseOptions } from './assert-close.js';

/**
 * Central finite differences of a float64 function, one coordinate at a time:
 *
 *     ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / (2h)       error O(h²·f''') + O(ε·|f|/h)
 *
 * With float64 and h = 1e-5 both error terms stay far below float32 precision for smooth f of moderate size.
 *
 * @example
 * numericGradient((x) => x[0]! ** 2 + 3 * x[1]!, [2, 5]); // ≈ [4, 3]
 */
export function numericGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-5): Float64Array {
  const at = Float64Array.from(x);
  const g = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const xi = at[i]!;
    at[i] = xi + h;
    const up = f(at);
    at[i] = xi - h;
    const down = f(at);
    at[i] = xi;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Options of {@link assertGradientClose}: closeness tolerances plus the finite-difference step. */
export interface GradientCheckOptions extends CloseOptions {
  /** Finite-difference step (default 1e-5). */
  h?: number;
}

/**
 * Checks tfjs's gradient of `f` (float32, on the current backend) against central finite differences of an
 * independent float64 `reference` of the same function, at `x` (rounded to float32 first, so both see the same
 * point). Non-scalar outputs of `f` are summed. Defaults atol 1e-4, rtol 1e-3 fit float32 arithmetic.
 * Returns both gradients for further checks (closed forms, finiteness). Leaks no tensors. Asynchronous: the
 * gradient is read with `await data()`, which works on every backend (webgpu included).
 *
 * @example
 * await assertGradientClose((t) => tf.sum(tf.square(t)), (x) => x.reduce((s, v) => s + v * v, 0), [1, -2], [2]);
 */
export async function assertGradientClose(
  f: (x: Tensor) => Tensor,
  reference: (x: Float64Array) => number,
  x: ArrayLike<number>,
  shape: readonly number[],
  { h = 1e-5, atol = 1e-4, rtol = 1e-3, label = '' }: GradientCheckOptions = {},
): Promise<{ analytic: number[]; numeric: number[] }> {
  const x32 = Float32Array.from(x);
  const g = tidy(() => grad((t: Tensor) => sum(f(t)))(tensor(x32, [...shape], 'float32')));
  let analytic: number[];
  try {
    analytic = Array.from(await g.data());
  } finally {
    g.dispose();
  }
  // Plain arrays: assertClose takes tfjs's TypedArray union, which has no Float64Array.
  const numeric = Array.from(numericGradient(reference, Float64Array.from(x32), h));
  await assertClose(analytic, numeric, {
    atol,
    rtol,
    label: label || 'gradient vs central finite differences',
  });
  return { analytic, numeric };
}
