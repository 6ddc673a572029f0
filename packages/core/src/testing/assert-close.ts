import type { Tensor, TypedArray } from '@tensorflow/tfjs-core';

/** Tolerances for {@link assertClose}: passes when |a − e| ≤ atol + rtol·|e| element-wise. */
export interface CloseOptions {
  atol?: number;
  rtol?: number;
  /** A label printed in the failure message. */
  label?: string;
}

/** Raised by the testing helpers; test runners show it as a failed assertion. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** What {@link assertClose} compares: a tensor, a typed array, a number list or one number. */
export type Values = Tensor | TypedArray | readonly number[] | number;

/**
 * The values of `v` as float64. A tensor is read asynchronously (`await t.data()`): on webgpu a synchronous read
 * fails in Node (no OffscreenCanvas) and in headless Chromium on SwiftShader returns zeros (tfjs-backend-webgpu's
 * `readSync` copies through a WebGPU canvas into a 2D canvas, which that adapter does not share).
 */
async function toArray(v: Values): Promise<{ values: Float64Array; shape: readonly number[] | null }> {
  if (typeof v === 'number') return { values: Float64Array.of(v), shape: [] };
  if (ArrayBuffer.isView(v) || Array.isArray(v))
    return { values: Float64Array.from(v as ArrayLike<number>), shape: null };
  const t = v as Tensor;
  return { values: Float64Array.from((await t.data()) as ArrayLike<number>), shape: t.shape };
}

/**
 * Asserts that `actual` is close to `expected` element-wise, and that every value of both is finite
 * (a NaN never compares "close" by accident). Shapes must match when both are tensors. Asynchronous: tensors are
 * read with `await t.data()`, the read that works on every backend (webgpu included); await it.
 *
 * @example
 * await assertClose(tf.add(1, 2), 3, { atol: 1e-6 });
 */
export async function assertClose(
  actual: Values,
  expected: Values,
  { atol = 1e-5, rtol = 1e-5, label = '' }: CloseOptions = {},
): Promise<void> {
  const [a, e] = await Promise.all([toArray(actual), toArray(expected)]);
  const where = label ? ` (${label})` : '';
  if (a.shape && e.shape && (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape?.[i]))) {
    throw new AssertionError(`assertClose${where}: shape [${a.shape}] differs from expected [${e.shape}]`);
  }
  if (a.values.length !== e.values.length) {
    throw new AssertionError(`assertClose${where}: ${a.values.length} values, expected ${e.values.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new AssertionError(`assertClose${where}: non-finite value at index ${i}: actual ${x}, expected ${y}`);
    }
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    const x = a.values[worst]!;
    const y = e.values[worst]!;
    throw new AssertionError(
      `assertClose${where}: index ${worst}: actual ${x}, expected ${y}, |diff| ${Math.abs(x - y)} > atol ${atol} + rtol ${rtol}·|expected|`,
    );
  }
}

/** Asserts every value of a tensor or array is finite (no NaN, no ±Infinity); asynchronous like {@link assertClose}. */
export async function assertFinite(actual: Values, label = ''): Promise<void> {
  const { values } = await toArray(actual);
  const i = values.findIndex((x) => !Number.isFinite(x));
  if (i >= 0) throw new AssertionError(`assertFinite${label ? ` (${label})` : ''}: value ${values[i]} at index ${i}`);
}
