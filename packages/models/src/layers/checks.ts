import { ValueError } from '@latentlab/core';

/** Throws a {@link ValueError} naming `fn` unless `value` is an integer ≥ `min`. */
export function checkInteger(fn: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValueError(fn, `${name} is out of range`, `an integer ≥ ${min}`, String(value));
  }
  return value;
}

/** Throws a {@link ValueError} unless `value` is a finite number (> 0 with `positive`, ≥ `min` with min). */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  { positive = false, min }: { positive?: boolean; min?: number } = {},
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
    throw new ValueError(fn, `${name} is out of range`, expected, String(value));
  }
  return value as number;
}

/** Throws a {@link ValueError} unless `value` is one of `allowed`. */
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

/** Throws a {@link ValueError} unless `value` is an array of integers ≥ `min` (possibly empty when `allowEmpty`). */
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
