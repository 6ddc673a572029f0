/**
 * A small seeded pseudo-random number generator in plain JavaScript, for everything in this package that
 * must be reproducible from a seed: epoch shuffles, dynamic binarisation, splits and synthetic sets.
 *
 * Generator: **splitmix32**, a 32-bit Weyl sequence `s ← s + 0x9e3779b9 (mod 2³²)` passed through the
 * MurmurHash3 `fmix32` finaliser
 *
 *     z ← (s ⊕ (s ≫ 16)) · 0x85ebca6b;  z ← (z ⊕ (z ≫ 13)) · 0xc2b2ae35;  out = z ⊕ (z ≫ 16)   (mod 2³²)
 *
 * (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014, in its 32-bit form).
 * Period 2³²; every seed gives a full-period stream; good enough for shuffling and Monte-Carlo noise,
 * not for cryptography. It is independent of the tfjs backend, so a seed gives the same data on cpu,
 * wasm and webgl.
 */

import { DatasetError } from './errors.js';

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 4294967296;

/** MurmurHash3's 32-bit finaliser: a bijection on uint32 that mixes every input bit into every output bit. */
export function fmix32(h: number): number {
  let z = h | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Checks that `seed` is a safe integer (any sign) and reduces it to uint32 (seed mod 2³²).
 * Throws a {@link DatasetError} naming `fn` otherwise.
 */
export function checkSeed(fn: string, seed: number, what = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new DatasetError(fn, `invalid ${what}`, 'a safe integer', String(seed));
  }
  return (((seed % TWO_POW_32) + TWO_POW_32) % TWO_POW_32) >>> 0;
}

/**
 * Derives the seed of one stream from a base seed and a sequence of integers (e.g. epoch, purpose), by
 * folding each through `fmix32`: seeds that differ in any part give unrelated streams.
 *
 * @example
 * const [seed, epoch, n] = [1, 3, 10];
 * const order = new Prng(deriveSeed(seed, epoch)).permutation(n); // a different order every epoch
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = fmix32((seed >>> 0) ^ GOLDEN);
  for (const p of parts) h = fmix32((h + Math.imul(p >>> 0, GOLDEN) + 0x7f4a7c15) | 0);
  return h;
}

/**
 * splitmix32 with helpers for uniform integers, uniform floats, normal samples and shuffles.
 *
 * @example
 * const rng = new Prng(42);
 * rng.next();        // uniform in [0, 1)
 * rng.normal();      // N(0, 1) by Box–Muller
 * rng.permutation(5) // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export class Prng {
  private state: number;
  private spare = Number.NaN;

  /** `seed` is any safe integer; it is reduced mod 2³². */
  constructor(seed: number) {
    this.state = checkSeed('Prng', seed) | 0;
  }

  /** The next uint32 of the stream. */
  nextUint32(): number {
    this.state = (this.state + GOLDEN) | 0;
    return fmix32(this.state);
  }

  /** Uniform on [0, 1) with 32 random bits: u = nextUint32() / 2³². */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Uniform integer in [0, n), unbiased: draws are rejected above the largest multiple of n below 2³²,
   * then reduced mod n. Requires 1 ≤ n ≤ 2³².
   */
  nextInt(n: number): number {
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }

  /**
   * A standard normal sample by the Box–Muller transform (Box & Muller, 1958): with u₁ ∈ (0, 1], u₂ ∈ [0, 1),
   * r = √(−2 ln u₁), θ = 2π u₂, the pair (r cos θ, r sin θ) is two independent N(0, 1) samples; the second
   * is kept for the next call.
   */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Shuffles `a` in place by Fisher–Yates (Durstenfeld's form): for i = n−1..1, swap a[i] with a[j], j ~ U{0..i}. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = a[i]!;
      a[i] = a[j]!;
      a[j] = tmp;
    }
    return a;
  }

  /** A uniformly random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}
