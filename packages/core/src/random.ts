import { type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, tensor } from '@tensorflow/tfjs-core';
import { assertFiniteNumber, assertInteger } from './checks.js';
import { ValueError } from './errors.js';

/** A serialisable snapshot of an {@link Rng}: enough to resume its streams exactly ({@link Rng.fromState}). */
export interface RngState {
  readonly algorithm: 'xoshiro128**';
  /** The four 32-bit words of the xoshiro128** state (unsigned, not all zero). */
  readonly s: readonly [number, number, number, number];
  /** The second normal of the last Box–Muller pair, not yet handed out (or null). */
  readonly spare: number | null;
}

const TWO_32 = 2 ** 32;
const M64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea & Flood 2014), the seeder Vigna recommends for xoshiro: 64-bit x ↦ next x, output. */
function splitMix64(x: bigint): [bigint, bigint] {
  const next = (x + 0x9e3779b97f4a7c15n) & M64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return [next, z ^ (z >> 31n)];
}

/** Expands a 64-bit seed to a xoshiro128** state with two SplitMix64 outputs (low word first). */
function expandSeed(seed: bigint): [number, number, number, number] {
  const [x1, a] = splitMix64(seed);
  const [, b] = splitMix64(x1);
  return [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)];
}

/**
 * A seeded, resumable source of random numbers, identical on every tfjs backend.
 *
 * Algorithm (documented because results must be reproducible from the seed alone):
 * - Bits: xoshiro128** 1.1 (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro128starstar.c), 128-bit
 *   state, period 2^128 − 1, 32-bit outputs. The seed is expanded to the state by SplitMix64 (two 64-bit outputs).
 * - Normal: Box–Muller on two outputs a, b: u1 = (a + 1)·2^−32 ∈ (0, 1], u2 = b·2^−32,
 *   r = √(−2 ln u1), (r·cos 2πu2, r·sin 2πu2) in float64, rounded to float32. The sine half is kept as `spare`
 *   and handed out next, so the stream of normals does not depend on how it is split into calls
 *   (`normal([6])` equals `normal([3])` followed by `normal([3])`). |value| ≤ √(64 ln 2) ≈ 6.66.
 * - Uniform: u = (a >>> 8)·2^−24 ∈ [0, 1 − 2^−24] (exact in float32), value = min + (max − min)·u.
 * - `fork()`: a child seeded by SplitMix64 from 64 fresh bits of the parent.
 *
 * Values are generated in JS and uploaded, so cpu, wasm and webgl see bit-identical samples. (Across JS
 * engines, Math.log/cos/sin may differ in the last float64 ulp, which can very rarely flip a float32 rounding.)
 *
 * @example
 * const rng = createRng(42);
 * const eps = rng.normal([128, 20]);         // [128, 20] float32, N(0, 1)
 * const saved = rng.state;                    // JSON-serialisable
 * const again = Rng.fromState(saved).normal([3]);
 * rng.normal([3]);                            // same values as `again`
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare: number | null;

  private constructor(s: readonly number[], spare: number | null) {
    [this.#s0, this.#s1, this.#s2, this.#s3] = s as [number, number, number, number];
    this.#spare = spare;
  }

  /** @internal Creates an Rng whose state is expanded from a 64-bit seed. */
  static fromSeed(seed: bigint): Rng {
    return new Rng(expandSeed(seed), null);
  }

  /** Restores an Rng from {@link Rng.state}; throws a {@link ValueError} for a malformed state. */
  static fromState(state: RngState): Rng {
    const s = state?.s;
    const words = Array.isArray(s) && s.length === 4 && s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_32);
    const spareOk = state?.spare === null || (typeof state?.spare === 'number' && Number.isFinite(state.spare));
    if (state?.algorithm !== 'xoshiro128**' || !words || !spareOk || s.every((w) => w === 0)) {
      const found = JSON.stringify(state) ?? String(state);
      throw new ValueError(
        'Rng.fromState',
        'state is not an Rng state',
        "{ algorithm: 'xoshiro128**', s: four uint32 words not all 0, spare: number | null }",
        found,
      );
    }
    return new Rng(s, state.spare);
  }

  /** A snapshot of the current state (a fresh, frozen, JSON-serialisable object). */
  get state(): RngState {
    const s = Object.freeze([this.#s0, this.#s1, this.#s2, this.#s3] as const);
    return Object.freeze({ algorithm: 'xoshiro128**', s, spare: this.#spare });
  }

  /** The next raw 32-bit output of xoshiro128**, an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    this.#s0 >>>= 0;
    this.#s1 >>>= 0;
    this.#s2 >>>= 0;
    this.#s3 >>>= 0;
    return result;
  }

  /** A deterministic integer in [0, 2^32): a seed for {@link createRng} or for a tfjs op's `seed`. */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** A float64 uniform in [0, 1) with 53 random bits: ((a >>> 5)·2^26 + (b >>> 6))·2^−53. */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 2 ** 26 + b) * 2 ** -53;
  }

  /** An independent child stream, seeded from 64 fresh bits of this one (advances this stream by two outputs). */
  fork(): Rng {
    const lo = BigInt(this.nextUint32());
    const hi = BigInt(this.nextUint32());
    return Rng.fromSeed((hi << 32n) | lo);
  }

  /** `count` standard normal values (float32), see the class doc for the algorithm. */
  normalArray(count: number): Float32Array {
    assertInteger('Rng.normalArray', 'count', count, 0);
    const out = new Float32Array(count);
    let i = 0;
    if (count > 0 && this.#spare !== null) {
      out[i++] = this.#spare;
      this.#spare = null;
    }
    while (i < count) {
      const u1 = (this.nextUint32() + 1) / TWO_32;
      const theta = (2 * Math.PI * this.nextUint32()) / TWO_32;
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i++] = r * Math.cos(theta);
      const second = r * Math.sin(theta);
      if (i < count) out[i++] = second;
      else this.#spare = Math.fround(second) + 0; // as stored in float32, −0 → 0: survives JSON exactly
    }
    return out;
  }

  /** `count` uniform values (float32) in [min, max) (max itself only through float32 rounding of a wide range). */
  uniformArray(count: number, min = 0, max = 1): Float32Array {
    assertInteger('Rng.uniformArray', 'count', count, 0);
    assertFiniteNumber('Rng.uniformArray', 'min', min);
    assertFiniteNumber('Rng.uniformArray', 'max', max, { min });
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = min + (max - min) * (this.nextUint32() >>> 8) * 2 ** -24;
    return out;
  }

  /** A float32 tensor of standard normal values, filled in row-major order (rank typed from a literal shape). */
  normal(shape: [number]): Tensor1D;
  normal(shape: [number, number]): Tensor2D;
  normal(shape: [number, number, number]): Tensor3D;
  normal(shape: readonly number[]): Tensor;
  normal(shape: readonly number[]): Tensor {
    return tensor(this.normalArray(shapeSize('Rng.normal', shape)), [...shape], 'float32');
  }

  /** A float32 tensor of uniform values in [min, max), filled in row-major order. */
  uniform(shape: [number], min?: number, max?: number): Tensor1D;
  uniform(shape: [number, number], min?: number, max?: number): Tensor2D;
  uniform(shape: [number, number, number], min?: number, max?: number): Tensor3D;
  uniform(shape: readonly number[], min?: number, max?: number): Tensor;
  uniform(shape: readonly number[], min = 0, max = 1): Tensor {
    return tensor(this.uniformArray(shapeSize('Rng.uniform', shape), min, max), [...shape], 'float32');
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function shapeSize(fn: string, shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw new ValueError(fn, 'shape is not an array', 'number[]', String(shape));
  for (const d of shape) assertInteger(fn, 'every dimension of shape', d, 0);
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A seeded random source (see {@link Rng} for the algorithm). The same seed gives the same numbers on every
 * backend and every run.
 *
 * @param seed an integer in [0, 2^53 − 1]
 * @example
 * const rng = createRng(0);
 * const eps = rng.normal([4, 2]);   // [4, 2] ~ N(0, I)
 * const child = rng.fork();         // e.g. one stream for dropout, one for sampling
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ValueError('createRng', 'seed is out of range', 'an integer in [0, 2^53 − 1]', String(seed));
  }
  return Rng.fromSeed(BigInt(seed));
}
