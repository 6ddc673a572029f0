import { describe, expect, it } from 'vitest';
import { seededRandom, seededUniforms } from './seeded-uniforms.js';

describe('seededUniforms', () => {
  it('is mulberry32: the first output of a seed matches the C reference step by step', () => {
    // Reference: the mulberry32 C code, written out here step by step in BigInt-free 32-bit arithmetic.
    const ref = (seed: number) => {
      const a = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    expect(seededRandom(0)()).toBe(ref(0));
    expect(seededRandom(12345)()).toBe(ref(12345));
  });

  it('is reproducible, in [lo, hi), and roughly uniform', () => {
    const x = seededUniforms(10_000, 7, -2, 3);
    expect([...seededUniforms(10_000, 7, -2, 3)]).toEqual([...x]);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...x)).toBeLessThan(3);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan((4 * (5 / Math.sqrt(12))) / Math.sqrt(x.length)); // 4 standard errors
  });
});
