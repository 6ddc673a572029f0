/**
 * Seeded pseudo-random numbers (mulberry32, Tommy Ettinger's 32-bit generator), so sampled plots and their
 * snapshots are the same on every run and in every runtime.
 *
 * A copy on purpose: viz has no dependency on `@latentlab/core` (nor on tfjs), so it cannot use core's `createRng`
 * or the `seededRandom` of `@latentlab/core/testing`; the same generator lives there for tests.
 *
 * @example
 * const rand = mulberry32(42);
 * rand(); // a number in [0, 1), the same for seed 42 everywhere
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `k` distinct indices of `0..n-1`, chosen uniformly with a seeded partial Fisher–Yates shuffle, returned in
 * increasing order (so drawing order stays the data's order).
 *
 * @example
 * sampleIndices(10_000, 2_000, 7).length; // 2000
 */
export function sampleIndices(n: number, k: number, seed: number): Uint32Array {
  const m = Math.min(n, k);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rand = mulberry32(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}
