// sliceAdam, a worker's Adam update of its slice of θ (the workers' gradients summed, then Adam): the SIMD calls on
// the shared WebAssembly memory against adam-update.ts's float64 loop (the formula, written once), the loop's own
// path bit for bit, and nothing outside the slice written. thetaMemory's layout: θ, m, v and the gradients back
// to back in one shared memory.
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

/** Worker w's gradient at step t (each worker its own numbers). */
const gradient = (P: number, t: number, w: number) => values(P, 10 + 10 * w + t, 10 ** (t - 2));

/** g = Σ_w g_w at step t, summed in float32 in worker order (as the workers do). */
function summed(P: number, t: number, workers: number): Float32Array {
  const g = gradient(P, t, 0);
  for (let w = 1; w < workers; w++) {
    const gw = gradient(P, t, w);
    for (let i = 0; i < P; i++) g[i] = g[i]! + gw[i]!;
  }
  return g;
}

/** θ from a seed, zero moments; three steps, each worker's gradient written into its slot. */
function threeSteps(theta: Theta, lo: number, hi: number, how: 'simd' | 'js'): void {
  const P = theta.params.length;
  const workers = theta.grads.length / P;
  theta.params.set(values(P, 1));
  const { update } = sliceAdam(theta, lo, hi, how);
  for (let t = 1; t <= 3; t++) {
    for (let w = 0; w < workers; w++) theta.grads.set(gradient(P, t, w), w * P);
    update(adamStepScalars(CONFIG, t));
  }
}

/** The same three steps by adam-update.ts's loop on [lo, hi) of plain arrays, g summed as the workers sum it. */
function reference(P: number, lo: number, hi: number, workers: number) {
  const [params, m, v] = [values(P, 1), new Float32Array(P), new Float32Array(P)];
  for (let t = 1; t <= 3; t++)
    adamUpdate(adamStepScalars(CONFIG, t), summed(P, t, workers), m, v, params, params, lo, hi);
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
    [1001, 0, 500, 2],
    [1001, 500, 1001, 2],
    [7, 3, 6, 2],
    [1001, 250, 750, 3],
  ])(
    'SIMD, P = %i, slice [%i, %i), %i workers: adam-update.ts of Σ g_w within float32 rounding, nothing else written',
    (P, lo, hi, workers) => {
      const theta = thetaMemory(P, workers);
      threeSteps(theta, lo, hi, 'simd');
      const want = reference(P, lo, hi, workers);
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
      // Worker 0's gradient holds the sum on the slice only (exactly: float32 adds, as in `summed`); the other
      // workers' gradients are read, never written.
      const [g0, g] = [gradient(P, 3, 0), summed(P, 3, workers)];
      for (let i = 0; i < P; i++) expect(theta.grads[i]).toBe(i < lo || i >= hi ? g0[i] : g[i]);
      for (let w = 1; w < workers; w++) {
        expect(Array.from(theta.grads.subarray(w * P, (w + 1) * P))).toEqual(Array.from(gradient(P, 3, w)));
      }
    },
  );

  it('runs the SIMD update, not the loop: float32 arithmetic, so some of 1001 values round differently', () => {
    const theta = thetaMemory(1001, 1);
    threeSteps(theta, 0, 1001, 'simd');
    const want = reference(1001, 0, 1001, 1);
    expect(theta.params.some((x, i) => x !== want.params[i])).toBe(true);
  });

  it.each(['simd', 'js'] as const)(
    '%s with terms = k: sums only the first k workers’ gradients (those that computed the step)',
    (how) => {
      const P = 1001;
      const theta = thetaMemory(P, 3);
      // Worker 2 computed nothing: its slot holds NaN, which would reach θ if it were summed.
      const { update } = sliceAdam(theta, 100, 900, how, 2);
      theta.params.set(values(P, 1));
      for (let t = 1; t <= 3; t++) {
        for (let w = 0; w < 2; w++) theta.grads.set(gradient(P, t, w), w * P);
        theta.grads.fill(Number.NaN, 2 * P);
        update(adamStepScalars(CONFIG, t));
      }
      const want = reference(P, 100, 900, 2);
      for (let i = 0; i < P; i++) {
        expect(Math.abs(theta.params[i]! - want.params[i]!)).toBeLessThanOrEqual(
          1e-6 + 1e-6 * Math.abs(want.params[i]!),
        );
      }
    },
  );

  it("'js', or θ in plain SharedArrayBuffers: the loop, bit for bit", () => {
    const P = 1001;
    const inMemory = thetaMemory(P, 2);
    threeSteps(inMemory, 100, 900, 'js');
    const shared = (length: number) => new Float32Array(new SharedArrayBuffer(length * 4));
    const bare: Theta = { memory: null, params: shared(P), m: shared(P), v: shared(P), grads: shared(2 * P) };
    threeSteps(bare, 100, 900, 'simd');
    const want = reference(P, 100, 900, 2);
    for (const theta of [inMemory, bare]) {
      expect(Array.from(theta.params)).toEqual(Array.from(want.params));
      expect(Array.from(theta.m)).toEqual(Array.from(want.m));
      expect(Array.from(theta.v)).toEqual(Array.from(want.v));
    }
  });
});
