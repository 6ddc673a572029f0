// sliceAdam, a worker's Adam update of its slice of θ: the SIMD call on the shared WebAssembly memory against
// adam-update.ts's float64 loop (the formula, written once), the loop's own path bit for bit, and nothing outside
// the slice touched. thetaMemory's layout: θ, m, v and the gradients back to back in one shared memory.
import { seededUniforms } from '@latentlab/core/testing';
import { describe, expect, it } from 'vitest';
import { adamStepScalars, adamUpdate } from '../ops/adam-update.js';
import { adamOn, wasmApi } from '../ops/wasm/adam-module.js';
import { thetaMemory } from './shared-state.js';
import { sliceAdam } from './slice-adam.js';

const CONFIG = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Seeded numbers in [−scale, scale) (core's test generator, independent of the library's). */
const values = (n: number, seed: number, scale = 1) => seededUniforms(n, seed, -scale, scale);

type Theta = ReturnType<typeof thetaMemory>;

/** θ from a seed, zero moments; three steps of gradients (written into worker 0's slot, as after sumInto). */
function threeSteps(theta: Theta, lo: number, hi: number, how: 'simd' | 'js'): void {
  const P = theta.params.length;
  theta.params.set(values(P, 1));
  const { update } = sliceAdam(theta, lo, hi, how);
  for (let t = 1; t <= 3; t++) {
    theta.grads.set(values(P, 10 + t, 10 ** (t - 2)));
    update(adamStepScalars(CONFIG, t));
  }
}

/** The same three steps by adam-update.ts's loop on [lo, hi) of plain arrays. */
function reference(P: number, lo: number, hi: number) {
  const [params, m, v] = [values(P, 1), new Float32Array(P), new Float32Array(P)];
  for (let t = 1; t <= 3; t++)
    adamUpdate(adamStepScalars(CONFIG, t), values(P, 10 + t, 10 ** (t - 2)), m, v, params, params, lo, hi);
  return { params, m, v };
}

const SIMD = adamOn(thetaMemory(1, 1).memory!) !== null; // Node 20's V8 has 128-bit SIMD

describe('thetaMemory', () => {
  it('lays θ, m, v and the W gradients back to back in one shared WebAssembly memory', () => {
    const P = 1001;
    const { memory, params, m, v, grads } = thetaMemory(P, 3);
    expect(memory).toBeInstanceOf(wasmApi!.Memory);
    expect(memory!.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (const a of [params, m, v, grads]) expect(a.buffer).toBe(memory!.buffer);
    expect([params, m, v, grads].map((a) => [a.byteOffset / 4, a.length])).toEqual([
      [0, P],
      [P, P],
      [2 * P, P],
      [3 * P, 3 * P],
    ]);
    expect(memory!.buffer.byteLength).toBe(Math.ceil((6 * P * 4) / 65536) * 65536);
    expect(grads.every((x) => x === 0) && m.every((x) => x === 0)).toBe(true);
  });
});

describe('sliceAdam', () => {
  it('has 128-bit SIMD to use here', () => expect(SIMD).toBe(true));

  // Tolerances (as adam-module.node.test.ts): float32 rounding of the largest terms.
  it.each([
    [1001, 0, 500],
    [1001, 500, 1001],
    [7, 3, 6],
  ])('SIMD, P = %i, slice [%i, %i): adam-update.ts within float32 rounding, nothing else touched', (P, lo, hi) => {
    const theta = thetaMemory(P, 2);
    threeSteps(theta, lo, hi, 'simd');
    const want = reference(P, lo, hi);
    for (const [found, expected, atol] of [
      [theta.m, want.m, 1e-6],
      [theta.v, want.v, 1e-8],
      [theta.params, want.params, 1e-6],
    ] as const) {
      for (let i = 0; i < P; i++) {
        if (i < lo || i >= hi)
          expect(found[i]).toBe(expected[i]); // θ as it was, moments 0
        else expect(Math.abs(found[i]! - expected[i]!)).toBeLessThanOrEqual(atol + 1e-6 * Math.abs(expected[i]!));
      }
    }
    // The gradient of worker 1's slot is never read or written.
    expect(theta.grads.subarray(P).every((x) => x === 0)).toBe(true);
  });

  it('runs the SIMD update, not the loop: float32 arithmetic, so some of 1001 values round differently', () => {
    const theta = thetaMemory(1001, 1);
    threeSteps(theta, 0, 1001, 'simd');
    const want = reference(1001, 0, 1001);
    expect(theta.params.some((x, i) => x !== want.params[i])).toBe(true);
  });

  it("'js', or θ in plain SharedArrayBuffers: the loop, bit for bit", () => {
    const P = 1001;
    const inMemory = thetaMemory(P, 2);
    threeSteps(inMemory, 100, 900, 'js');
    const shared = (length: number) => new Float32Array(new SharedArrayBuffer(length * 4));
    const bare: Theta = { memory: null, params: shared(P), m: shared(P), v: shared(P), grads: shared(2 * P) };
    threeSteps(bare, 100, 900, 'simd');
    const want = reference(P, 100, 900);
    for (const theta of [inMemory, bare]) {
      expect(Array.from(theta.params)).toEqual(Array.from(want.params));
      expect(Array.from(theta.m)).toEqual(Array.from(want.m));
      expect(Array.from(theta.v)).toEqual(Array.from(want.v));
    }
  });
});
