import { createRng } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { sumSoftplus } from './sum-softplus.js';

/** Σ_d log(1 + e^{l_d}) per row in float64, the stable way. */
function sumSoftplus64(values: ArrayLike<number>, rows: number, d: number): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const l = values[r * d + j]!;
      s += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
    }
    return s;
  });
}

describe('sumSoftplus', () => {
  // d = 784 (groups of 56), 130 (65 > 64: groups of 26), 67 (prime > 64: one element per group), 5.
  it.each([784, 130, 67, 5])('equals Σ softplus in float64 for d = %i, logits from −30 to 30', async (d) => {
    const rows = 6;
    const rng = createRng(d);
    const values = rng.normalArray(rows * d).map((v) => 10 * v);
    values[0] = 30;
    values[1] = -30;
    values[2] = 0;
    const logits = tf.tensor2d(values, [rows, d]);
    const got = await assertNoLeaks(async () => {
      const t = sumSoftplus(logits);
      const v = await t.data();
      t.dispose();
      return v;
    });
    // Sums of ~d·4 nats in float32: rtol 1e-6 of the relu part plus 6·10⁻⁸ per element from σ's rounding;
    // webgl's sigmoid is less careful (SwiftShader exp), ~10⁻⁶ per element.
    const atol = d * (tf.getBackend() === 'webgl' ? 2e-6 : 2e-7);
    await assertClose(got, sumSoftplus64(values, rows, d), { atol, rtol: 1e-6, label: `d = ${d}` });
    logits.dispose();
  });

  it('is stable at extreme logits: ±1e4, ±∞ (softplus(∞) = ∞, softplus(−∞) = 0)', async () => {
    const values = [1e4, -1e4, 0, 88, -88, 1e-7];
    const x = tf.tensor2d([
      values,
      [Number.POSITIVE_INFINITY, 0, 0, 0, 0, 0],
      [Number.NEGATIVE_INFINITY, 0, 0, 0, 0, 0],
    ]);
    const t = sumSoftplus(x);
    const got = await t.data();
    t.dispose();
    expect(got[0]).toBeCloseTo(sumSoftplus64(values, 1, 6)[0]!, 2);
    // WebGL gives no IEEE guarantees for infinities (GLSL ES 3.00 does not require them to be supported), so the
    // ∞ rows are checked where arithmetic is IEEE 754: cpu and wasm.
    if (tf.getBackend() !== 'webgl') {
      expect(got[1]).toBe(Number.POSITIVE_INFINITY);
      expect(got[2]).toBeCloseTo(5 * Math.log(2), 5);
    }
    x.dispose();
  });
});
