import type { Tensor } from '@tensorflow/tfjs-core';
import { formatShape, ShapeError, ValueError } from './errors.js';

/** Throws a {@link ShapeError} unless `t` has rank `rank`. `dims` names the axes for the message, e.g. `'[batch, latentDim]'`. */
export function assertRank(fn: string, name: string, t: Tensor, rank: number, dims?: string): void {
  if (t.rank !== rank) {
    throw new ShapeError(
      fn,
      `${name} has the wrong rank`,
      `rank ${rank}${dims ? ` ${dims}` : ''}`,
      `rank ${t.rank} ${formatShape(t.shape)}`,
    );
  }
}

/** Throws a {@link ShapeError} unless `t` has rank ≥ `min`. */
export function assertMinRank(fn: string, name: string, t: Tensor, min: number, dims?: string): void {
  if (t.rank < min) {
    throw new ShapeError(
      fn,
      `${name} has too low a rank`,
      `rank ≥ ${min}${dims ? ` ${dims}` : ''}`,
      `rank ${t.rank} ${formatShape(t.shape)}`,
    );
  }
}

/** Throws a {@link ShapeError} unless `a` and `b` have identical shapes. */
export function assertSameShape(fn: string, nameA: string, a: Tensor, nameB: string, b: Tensor): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(
      fn,
      `${nameA} and ${nameB} must have the same shape`,
      `${nameB} of shape ${formatShape(a.shape)} (the shape of ${nameA})`,
      formatShape(b.shape),
    );
  }
}

/** Throws a {@link ValueError} unless `value` is a finite number (and > 0 when `positive`). */
export function assertFiniteNumber(
  fn: string,
  name: string,
  value: number,
  { positive = false, min }: { positive?: boolean; min?: number } = {},
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!positive || value > 0) &&
    (min === undefined || value >= min);
  if (!ok) {
    const expected = positive
      ? 'a finite number > 0'
      : min !== undefined
        ? `a finite number ≥ ${min}`
        : 'a finite number';
    throw new ValueError(fn, `${name} is out of range`, expected, String(value));
  }
}

/** Throws a {@link ValueError} unless `value` is an integer ≥ `min`. */
export function assertInteger(fn: string, name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(fn, `${name} is out of range`, `an integer ≥ ${min}`, String(value));
  }
}
