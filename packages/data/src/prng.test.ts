import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { checkSeed, deriveSeed, fmix32, Prng } from './prng.js';

// Independent reference: splitmix32 written with BigInt arithmetic mod 2³² straight from the formula.
const M = 2n ** 32n;
function referenceSplitmix32(seed: number, count: number): number[] {
  let s = BigInt(seed >>> 0);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9n) % M;
    let z = s;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) % M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) % M;
    out.push(Number(z ^ (z >> 16n)));
  }
  return out;
}

describe('Prng (splitmix32)', () => {
  it('matches the formula computed with BigInt', () => {
    for (const seed of [0, 1, 42, 0xffffffff, 123456789]) {
      const rng = new Prng(seed);
      expect(Array.from({ length: 50 }, () => rng.nextUint32())).toEqual(referenceSplitmix32(seed, 50));
    }
  });

  it('reduces seeds mod 2³² and rejects non-integers', () => {
    expect(checkSeed('f', -1)).toBe(0xffffffff);
    expect(checkSeed('f', 2 ** 32 + 5)).toBe(5);
    expect(new Prng(-1).nextUint32()).toBe(new Prng(0xffffffff).nextUint32());
    for (const bad of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => new Prng(bad)).toThrow(DatasetError);
    }
    expect(() => checkSeed('batches', Number.NaN)).toThrow(/batches/);
  });

  it('gives uniform floats with mean ½ and variance 1/12', () => {
    const rng = new Prng(7);
    const N = 200_000;
    let sum = 0;
    let sq = 0;
    let inRange = true;
    for (let i = 0; i < N; i++) {
      const u = rng.next();
      inRange &&= u >= 0 && u < 1;
      sum += u;
      sq += u * u;
    }
    expect(inRange).toBe(true);
    const mean = sum / N;
    // Standard error of the mean: √(1/12 / N) ≈ 6.5e-4; allow 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sq / N - mean * mean - 1 / 12)).toBeLessThan(1e-3);
  });

  it('draws unbiased integers (chi-square over 7 bins)', () => {
    const rng = new Prng(3);
    const N = 70_000;
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < N; i++) counts[rng.nextInt(7)]!++;
    const e = N / 7;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(22.46); // χ²₆ 0.999 quantile
  });

  it('draws standard normals (Box–Muller): mean 0, variance 1, kurtosis 3', () => {
    const rng = new Prng(11);
    const N = 200_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < N; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
    }
    expect(Math.abs(s1 / N)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N)); // Var(z²) = 2
    expect(Math.abs(s4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N)); // Var(z⁴) = 105 − 9
  });

  it('shuffles into permutations, uniformly (all 6 orders of 3 items)', () => {
    const rng = new Prng(5);
    const seen = new Map<string, number>();
    const N = 60_000;
    for (let i = 0; i < N; i++) {
      const key = Array.from(rng.permutation(3)).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    const e = N / 6;
    const chi2 = [...seen.values()].reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(20.52); // χ²₅ 0.999 quantile
    const p = new Prng(1).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('derives distinct, reproducible seeds', () => {
    expect(deriveSeed(1, 0)).toBe(deriveSeed(1, 0));
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let e = 0; e < 20; e++) seeds.add(deriveSeed(s, e));
    expect(seeds.size).toBe(400);
    expect(fmix32(0)).toBe(0);
    expect(deriveSeed(1, 0, 1)).not.toBe(deriveSeed(1, 0, 2));
  });
});
