import type { Tensor } from '@tensorflow/tfjs-core';
import { formatShape, type LatentlabError, ShapeError, ValueError } from './errors.js';

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

/**
 * The error class a check throws: core's {@link ValueError} by default; a package passes its own subclass of
 * `LatentlabError` (data's `DatasetError`) so the error stays typed for its callers.
 */
export type CheckError = new (fn: string, message: string, expected: string, found: string) => LatentlabError;

/**
 * Returns `value` if it is a finite number (> 0 with `positive`, ≥ `min` with `min`), else throws `error`
 * (default {@link ValueError}) naming `fn` and `name`: `expected a finite number > 0, found NaN`.
 *
 * @example
 * const options = { learningRate: 1e-3 };
 * const lr = checkNumber('adam', 'learningRate', options.learningRate, { positive: true }); // 0.001
 */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  { positive = false, min, error = ValueError }: { positive?: boolean; min?: number; error?: CheckError } = {},
): number {
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
    throw new error(fn, `${name} is out of range`, expected, String(value));
  }
  return value as number;
}

/**
 * Returns `value` if it is a safe integer ≥ `min` (default 1), else throws `error` (default {@link ValueError})
 * naming `fn` and `name`: `expected an integer ≥ 1, found 2.5`.
 *
 * @example
 * const options = { epochs: 10 };
 * const epochs = checkInteger('train', 'epochs', options.epochs, 1); // 10
 */
export function checkInteger(
  fn: string,
  name: string,
  value: unknown,
  min = 1,
  error: CheckError = ValueError,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new error(fn, `${name} is out of range`, `an integer ≥ ${min}`, String(value));
  }
  return value;
}

/**
 * Returns `value` if it is one of `allowed`, else throws a {@link ValueError}: `expected 'adam' | 'sgd', found "ada"`.
 *
 * @example
 * const config = { name: 'sgd' };
 * const name = checkOneOf('createOptimizer', 'optimizer', config.name, ['adam', 'sgd', 'rmsprop'] as const);
 */
export function checkOneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(
      fn,
      `unknown ${name}`,
      allowed.map((a) => `'${a}'`).join(' | '),
      JSON.stringify(value) ?? String(value),
    );
  }
  return value as T;
}

/**
 * Returns a copy of `value` if it is an array of safe integers ≥ `min` (non-empty unless `allowEmpty`), else throws
 * a {@link ValueError}.
 *
 * @example
 * const config = { hiddenUnits: [512, 256] };
 * const hidden = checkIntegerList('createVae', 'hiddenUnits', config.hiddenUnits, 1, false); // [512, 256]
 */
export function checkIntegerList(fn: string, name: string, value: unknown, min: number, allowEmpty: boolean): number[] {
  const ok =
    Array.isArray(value) &&
    (allowEmpty || value.length > 0) &&
    value.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min);
  if (!ok) {
    throw new ValueError(
      fn,
      `${name} is invalid`,
      `${allowEmpty ? 'an' : 'a non-empty'} array of integers ≥ ${min}`,
      JSON.stringify(value) ?? String(value),
    );
  }
  return [...(value as number[])];
}

/** Throws a {@link ValueError} unless `value` is a finite number (see {@link checkNumber}, which also returns it). */
export function assertFiniteNumber(
  fn: string,
  name: string,
  value: number,
  options: { positive?: boolean; min?: number } = {},
): void {
  checkNumber(fn, name, value, options);
}

/** Throws a {@link ValueError} unless `value` is an integer ≥ `min` (see {@link checkInteger}, which also returns it). */
export function assertInteger(fn: string, name: string, value: number, min = 1): void {
  checkInteger(fn, name, value, min);
}
