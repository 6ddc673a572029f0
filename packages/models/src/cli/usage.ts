/// <reference types="node" />
/** A bad command line (unknown command or flag, a bad value): printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    readonly option: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${option}: expected ${expected}, found ${found}`);
  }
}

/** Parses an integer flag ≥ `min`, or throws a {@link UsageError}. */
export function intFlag(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}`, `an integer ≥ ${min}`, JSON.stringify(value));
  return n;
}

/** Parses a finite number flag (> 0 when `positive`, else ≥ 0), or throws a {@link UsageError}. */
export function numberFlag(name: string, value: string | undefined, fallback: number, positive = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (positive ? n <= 0 : n < 0)) {
    throw new UsageError(`--${name}`, positive ? 'a number > 0' : 'a number ≥ 0', JSON.stringify(value));
  }
  return n;
}

/** Checks a flag against a list of choices. */
export function choiceFlag<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new UsageError(`--${name}`, choices.map((c) => `'${c}'`).join(' | '), JSON.stringify(value));
  return value as T;
}
