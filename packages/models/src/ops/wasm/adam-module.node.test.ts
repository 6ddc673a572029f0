import { seededUniforms } from '@latentlab/core/testing';
import { describe, expect, it } from 'vitest';
import { adamStepScalars, adamUpdate } from '../adam-update.js';
import { adamModule, adamOn, type WasmMemory, wasmApi } from './adam-module.js';

const CONFIG = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const WA = wasmApi!;

/** Seeded numbers in [−scale, scale) (core's test generator, independent of the library's). */
const values = (n: number, seed: number, scale = 1) => seededUniforms(n, seed, -scale, scale);

/**
 * Runs the module's `adam` for 3 steps on n values laid out in `memory` (7 arrays of n floats, from byte 64, so
 * the offsets are not all 16-byte aligned when n is odd) and returns them next to adam-update.ts's loop.
 */
function threeSteps(memory: WasmMemory, shared: boolean, n: number) {
  const { exports } = new WA.Instance(new WA.Module(adamModule(shared)), { env: { memory } });
  const adam = exports.adam as (...args: number[]) => void;
  const heap = new Float32Array(memory.buffer);
  const [g, m, v, w, mOut, vOut, wOut] = Array.from({ length: 7 }, (_, i) => 16 + i * n); // float indices
  const w0 = values(n, 1);
  heap.set(w0, w!);
  const [m64, v64, w64] = [new Float32Array(n), new Float32Array(n), Float32Array.from(w0)];
  for (let t = 1; t <= 3; t++) {
    const gs = values(n, 10 + t, 10 ** (t - 2));
    const s = adamStepScalars(CONFIG, t);
    adamUpdate(s, gs, m64, v64, w64, w64);
    heap.set(gs, g!);
    adam(...[g, m, v, w, mOut, vOut, wOut].map((i) => 4 * i!), n, s.c1, s.c2, s.alpha, s.epsHat);
    // The outputs become the next step's state.
    heap.copyWithin(m!, mOut!, mOut! + n);
    heap.copyWithin(v!, vOut!, vOut! + n);
    heap.copyWithin(w!, wOut!, wOut! + n);
  }
  const read = (at: number) => Array.from(heap.subarray(at, at + n));
  return { m: read(m!), v: read(v!), w: read(w!), m64, v64, w64 };
}

function expectClose(found: number[], expected: Float32Array, atol: number, rtol: number) {
  expect(found).toHaveLength(expected.length);
  for (const [i, x] of found.entries())
    expect(Math.abs(x - expected[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(expected[i]!));
}

describe('adamModule (the hand-assembled SIMD Adam update)', () => {
  it('is a valid WebAssembly module, in both memory flavours', () => {
    expect(WA.validate(adamModule(false))).toBe(true);
    expect(WA.validate(adamModule(true))).toBe(true);
  });

  // Tolerances: float32 rounding of the largest terms (m: (g − m)·c₁ up to 1; v: g²·c₂ up to 0.1; w: ≈ lr steps).
  it.each([1, 2, 4, 7, 33])('computes adam-update.ts on %i values of an unshared memory', (n) => {
    const r = threeSteps(new WA.Memory({ initial: 1 }), false, n);
    expectClose(r.m, r.m64, 1e-6, 1e-6);
    expectClose(r.v, r.v64, 1e-8, 1e-6);
    expectClose(r.w, r.w64, 1e-6, 0);
  });

  // tfjs-backend-wasm's threaded build (the playground, cross-origin isolated) keeps its heap in a shared memory of
  // 65 536 pages at most, which the shared variant must accept. (Node, where shared memory needs no isolation.)
  it('computes the same on a shared memory like the threaded build', () => {
    const memory = new WA.Memory({ initial: 1, maximum: 65536, shared: true });
    const r = threeSteps(memory, true, 33);
    expectClose(r.w, r.w64, 1e-6, 0);
    expect(() => threeSteps(new WA.Memory({ initial: 1 }), true, 4)).toThrow(); // the flavours differ
  });

  // `add(dst, src, n)`: dst[i] += src[i], the float32 sum (as a Float32Array store of the float64 sum rounds it),
  // on n floats only, 4 lanes at a time and then the rest: odd n, offsets not 16-byte aligned.
  it.each([1, 3, 4, 9, 33])('adds %i floats of src into dst, and nothing past them', (n) => {
    const memory = new WA.Memory({ initial: 1, maximum: 1, shared: true });
    const simd = adamOn(memory)!;
    const heap = new Float32Array(memory.buffer);
    const [dst, src] = [5, 5 + n + 3]; // float indices
    const [a, b] = [values(n + 2, 1, 1e3), values(n + 2, 2)];
    heap.set(a, dst);
    heap.set(b, src);
    simd.add(4 * dst, 4 * src, n);
    const want = Float32Array.from(a, (x, i) => (i < n ? x + b[i]! : x));
    expect(Array.from(heap.subarray(dst, dst + n + 2))).toEqual(Array.from(want));
    expect(Array.from(heap.subarray(src, src + n + 2))).toEqual(Array.from(b));
  });
});
