import { ValueError } from './errors.js';

/**
 * The Damerau–Levenshtein (optimal string alignment) distance between `a` and `b`: the fewest insertions,
 * deletions, substitutions and swaps of two adjacent characters that turn one into the other.
 *
 *     d(i, j) = min(d(i−1, j) + 1, d(i, j−1) + 1, d(i−1, j−1) + [a_i ≠ b_j], d(i−2, j−2) + 1 if a_i a_{i−1} = b_{j−1} b_j)
 *
 * @example
 * editDistance('epoch', 'epochs'); // 1
 * editDistance('batchsize', 'batchSize'); // 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate closest to `word` by {@link editDistance} (case-insensitive), or `null` when even the closest
 * needs more than max(2, ⌊|word| / 3⌋) edits (then a suggestion would be noise).
 *
 * @example
 * closestName('epoch', ['epochs', 'batchSize']); // 'epochs'
 * closestName('zzz', ['epochs', 'batchSize']); // null
 */
export function closestName(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

/** Options of {@link checkKeys}. */
export interface CheckKeysOptions {
  /** Advice for keys users bring from other libraries, e.g. `{ callbacks: 'pass onEpochEnd directly' }`. */
  hints?: Readonly<Record<string, string>>;
}

/**
 * Throws a {@link ValueError} naming `fn` unless `value` is `undefined` or an object whose own enumerable keys
 * are all in `allowed`. The message lists the valid keys and suggests the closest one ({@link closestName}), so
 * a typo such as `{ epoch: 1 }` fails instead of being silently ignored.
 *
 * @example
 * checkKeys('Vae.fit', 'options', { epoch: 1 }, ['epochs', 'batchSize']);
 * // throws ValueError: Error in Vae.fit: options has an unknown key 'epoch' (did you mean 'epochs'?):
 * //   expected keys among 'epochs', 'batchSize', found 'epoch'
 */
export function checkKeys(
  fn: string,
  name: string,
  value: unknown,
  allowed: readonly string[],
  { hints = {} }: CheckKeysOptions = {},
): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(
      fn,
      `${name} is not an object`,
      `an object with keys among ${allowed.map((k) => `'${k}'`).join(', ')}`,
      Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value,
    );
  }
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
    const near = closestName(key, allowed);
    const advice = hint ? ` (${hint})` : near ? ` (did you mean '${near}'?)` : '';
    throw new ValueError(
      fn,
      `${name} has an unknown key '${key}'${advice}`,
      `keys among ${allowed.map((k) => `'${k}'`).join(', ')}`,
      `'${key}'`,
    );
  }
}
