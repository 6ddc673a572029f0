/// <reference types="node" />
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** The flags a command accepts (`node:util` `parseArgs` options). */
export type Flags = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Flags that each take a value (`--name value`), the kind most commands declare.
 *
 * @example
 * valueFlags('out', 'seed'); // { out: { type: 'string' }, seed: { type: 'string' } }
 */
export const valueFlags = (...names: string[]): Flags =>
  Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));

/** Parsed flag values, by long name. */
export type FlagValues = Record<string, string | boolean | undefined>;

/** Parses an integer flag in [`min`, `max`], or throws a {@link UsageError}. */
export function intFlag(
  name: string,
  value: string | boolean | undefined,
  fallback: number,
  min = 1,
  max = 2 ** 31 - 1,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}`, `an integer in ${min}..${max}`, JSON.stringify(value));
  }
  return n;
}

/** Parses a finite number flag (> 0 when `positive`, else ≥ 0), or throws a {@link UsageError}. */
export function numberFlag(
  name: string,
  value: string | boolean | undefined,
  fallback: number,
  positive = true,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || (positive ? n <= 0 : n < 0)) {
    throw new UsageError(`--${name}`, positive ? 'a number > 0' : 'a number ≥ 0', JSON.stringify(value));
  }
  return n;
}

/** Checks a flag against a list of choices. */
export function choiceFlag<T extends string>(
  name: string,
  value: string | boolean | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new UsageError(`--${name}`, choices.map((c) => `'${c}'`).join(' | '), JSON.stringify(value));
  return value as T;
}

/** A string flag, or `fallback`. */
export const stringFlag = (value: string | boolean | undefined, fallback?: string): string | undefined =>
  typeof value === 'string' ? value : fallback;

/** Levenshtein distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * The known word closest to `word` (edit distance ≤ max(2, ⌊|word|/3⌋)), as ` (did you mean 'x'?)`, or ''.
 *
 * @example
 * didYouMean('--epoch', ['--epochs', '--out']); // " (did you mean '--epochs'?)"
 */
export function didYouMean(word: string, known: readonly string[]): string {
  let best = '';
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = distance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === '' ? '' : ` (did you mean '${best}'?)`;
}

/**
 * Parses a command's arguments (`--help`/`-h` always accepted) into flag values and positionals; an unknown flag,
 * a missing value or too many positionals is a {@link UsageError} with our wording (not `parseArgs`' text).
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  flags: Flags,
  maxPositionals: number,
): { values: FlagValues; positionals: string[] } {
  const options: Flags = { ...flags, help: { type: 'boolean', short: 'h' } };
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const option = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1] ?? '?';
    const known = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        option,
        options[option.replace(/^-+/, '')]?.type === 'boolean' ? 'no value' : 'a value',
        'none',
      );
    }
    throw new UsageError(
      `latentlab ${command}`,
      'one of its options (see --help)',
      `unknown option '${option}'${didYouMean(option, known)}`,
    );
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `latentlab ${command}`,
      maxPositionals === 0 ? 'no arguments besides options' : `${maxPositionals} argument(s) besides options`,
      JSON.stringify(parsed.positionals),
    );
  }
  return parsed;
}
