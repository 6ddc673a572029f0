import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ValueError } from './errors.js';
import { createRng, Rng, type RngState } from './random.js';
import { assertNoLeaks } from './testing/index.js';

// Independent reference of the documented algorithm, written with BigInt arithmetic (no Math.imul, no >>>).
const M32 = (1n << 32n) - 1n;
const M64 = (1n << 64n) - 1n;
function splitMix64Ref(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x = (x + 0x9e3779b97f4a7c15n) & M64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
}
function xoshiro128ssRef(state: bigint[]): () => number {
  const s = [...state];
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M32;
  return () => {
    const [s0, s1, s2, s3] = s as [bigint, bigint, bigint, bigint];
    const result = (rotl((s1 * 5n) & M32, 7n) * 9n) & M32;
    const t = (s1 << 9n) & M32;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    s.splice(0, 4, n0, n1, n2 ^ t, rotl(n3, 11n));
    return Number(result);
  };
}
function refStateFromSeed(seed: number): bigint[] {
  const next = splitMix64Ref(BigInt(seed));
  const a = next();
  const b = next();
  return [a & M32, a >> 32n, b & M32, b >> 32n];
}
/** Box–Muller as documented, in float64, rounded to float32 at the end. */
function normalsRef(next: () => number, count: number): Float32Array {
  const out: number[] = [];
  while (out.length < count) {
    const u1 = (next() + 1) / 2 ** 32;
    const u2 = next() / 2 ** 32;
    const r = Math.sqrt(-2 * Math.log(u1));
    out.push(r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2));
  }
  return Float32Array.from(out.slice(0, count));
}

describe('createRng / Rng', () => {
  it('SplitMix64 seeding matches its published vectors (seed 0: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4)', () => {
    const next = splitMix64Ref(0n);
    expect(next()).toBe(0xe220a8397b1dcdafn);
    expect(next()).toBe(0x6e789e6aa1b965f4n);
    expect(createRng(0).state.s).toEqual(refStateFromSeed(0).map(Number));
  });

  it('xoshiro128** matches the reference implementation outputs for state [0, 1, 2, 3]', () => {
    // Outputs of Vigna's C reference xoshiro128starstar.c from s = {0, 1, 2, 3}.
    const published = [5760, 17280, 2966400, 32451840, 2604340873, 3891234569, 1254043636, 216095511];
    const rng = Rng.fromState({ algorithm: 'xoshiro128**', s: [0, 1, 2, 3], spare: null });
    expect(published.map(() => rng.nextUint32())).toEqual(published);
    const ref = xoshiro128ssRef([0n, 1n, 2n, 3n]);
    expect(published.map(() => ref())).toEqual(published);
  });

  it('a long seeded stream matches the BigInt reference word for word', () => {
    const rng = createRng(123456789);
    const ref = xoshiro128ssRef(refStateFromSeed(123456789));
    for (let i = 0; i < 10_000; i++) expect(rng.nextSeed()).toBe(ref());
  });

  it('normal() is bit-identical to the float64 Box–Muller reference on this backend', async () => {
    const rng = createRng(7);
    const eps = await assertNoLeaks(() => rng.normal([33, 7]), 1); // odd size: exercises the spare
    expect(eps.shape).toEqual([33, 7]);
    expect(eps.dtype).toBe('float32');
    const expected = normalsRef(xoshiro128ssRef(refStateFromSeed(7)), 33 * 7);
    expect(Array.from(await eps.data())).toEqual(Array.from(expected));
    eps.dispose();
  });

  it('cpu and the current backend give bit-identical samples for the same seed', async () => {
    const original = tf.getBackend();
    const onCurrent = createRng(99).normal([64, 5]);
    const current = Array.from(await onCurrent.data());
    onCurrent.dispose();
    await import('@tensorflow/tfjs-backend-cpu');
    try {
      expect(await tf.setBackend('cpu')).toBe(true);
      const onCpu = createRng(99).normal([64, 5]);
      expect(Array.from(await onCpu.data())).toEqual(current);
      onCpu.dispose();
    } finally {
      await tf.setBackend(original);
    }
    expect(tf.getBackend()).toBe(original);
  });

  it('the normal stream does not depend on how it is split into calls', () => {
    const whole = createRng(5).normalArray(9);
    const parts = createRng(5);
    const split = [...parts.normalArray(3), ...parts.normalArray(1), ...parts.normalArray(5)];
    expect(split).toEqual(Array.from(whole));
  });

  it('state / fromState resumes every stream exactly, through JSON', () => {
    const rng = createRng(2024);
    rng.normalArray(5); // leaves a spare
    const saved = JSON.parse(JSON.stringify(rng.state)) as RngState;
    const resumed = Rng.fromState(saved);
    expect(Array.from(resumed.normalArray(6))).toEqual(Array.from(rng.normalArray(6)));
    expect(resumed.nextSeed()).toBe(rng.nextSeed());
    expect(resumed.fork().nextSeed()).toBe(rng.fork().nextSeed());
  });

  it('same seed ⇒ same numbers; different seeds and forks give different streams', () => {
    expect(Array.from(createRng(1).normalArray(50))).toEqual(Array.from(createRng(1).normalArray(50)));
    expect(createRng(1).normalArray(4)).not.toEqual(createRng(2).normalArray(4));
    const parent = createRng(1);
    const child = parent.fork();
    expect(child.normalArray(4)).not.toEqual(parent.normalArray(4));
    expect(createRng(1).fork().nextSeed()).toBe(createRng(1).fork().nextSeed());
  });

  it('uniform() lies in [min, max) with the documented 24-bit grid, and nextFloat in [0, 1)', async () => {
    const rng = createRng(3);
    const ref = xoshiro128ssRef(refStateFromSeed(3));
    const u = rng.uniform([1000], -2, 3);
    const values = await u.data();
    u.dispose();
    for (const v of values) {
      expect(v).toBe(Math.fround(-2 + 5 * (ref() >>> 8) * 2 ** -24));
      expect(v >= -2 && v < 3).toBe(true);
    }
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextFloat();
      expect(x).toBe(((ref() >>> 5) * 2 ** 26 + (ref() >>> 6)) / 2 ** 53);
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('normal samples have mean 0 and variance 1 within 4 standard errors', () => {
    const n = 200_000;
    const x = createRng(11).normalArray(n);
    let sum = 0;
    let sumSq = 0;
    for (const v of x) {
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n)); // SE of the mean: σ/√n
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / (n - 1))); // SE of s² for N(0,1): √(2/(n−1))
  });

  it('rejects bad seeds, shapes and states with a ValueError naming the function', () => {
    expect(() => createRng(-1)).toThrow(ValueError);
    expect(() => createRng(1.5)).toThrow(/createRng/);
    expect(() => createRng(2 ** 60)).toThrow(/createRng.*2\^53/);
    expect(() => createRng(0).normal([2, -1])).toThrow(/Rng\.normal/);
    expect(() => createRng(0).uniform([2], 1, 0)).toThrow(/Rng\.uniformArray.*max/);
    const bad = { algorithm: 'xoshiro128**', s: [0, 0, 0, 0], spare: null } as const;
    expect(() => Rng.fromState(bad)).toThrow(/Rng\.fromState/);
    expect(() => Rng.fromState({ ...bad, s: [1, 2, 3, 2 ** 32] })).toThrow(ValueError);
  });
});
