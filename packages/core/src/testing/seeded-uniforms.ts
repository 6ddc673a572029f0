/**
 * Seeded uniform numbers for tests, so a failure reproduces: mulberry32 (Tommy Ettinger's 32-bit generator),
 * small and fast, not for anything but test inputs (the library's own generator is `createRng`, xoshiro128**).
 */

/**
 * A seeded generator of uniform numbers in [0, 1) with 32-bit resolution (mulberry32).
 *
 * @example
 * const rand = seededRandom(42);
 * rand(); // the same number on every run
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * `n` seeded uniform float32 numbers in [lo, hi): lo + (hi − lo)·u with u from {@link seededRandom}.
 *
 * @example
 * const x = seededUniforms(6, 1, -3, 3); // Float32Array of 6 numbers in [-3, 3)
 */
export function seededUniforms(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
