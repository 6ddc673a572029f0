import { assertClose, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adamStepScalars, adamUpdate } from '../adam-update.js';
import { FusedAdam } from '../fused-adam.js';
import { wasmAdam, wasmAdamAvailable } from './adam.js';

// The kernel is the wasm backend's: these tests run on it in every Node project (cpu and wasm), then go back.
let previous: string;
beforeAll(async () => {
  previous = tf.getBackend();
  expect(await tf.setBackend('wasm')).toBe(true);
});
afterAll(async () => {
  await tf.setBackend(previous);
});
const CONFIG = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Seeded numbers in [−scale, scale) (core's test generator, independent of the library's). */
const values = (n: number, seed: number, scale = 1) => seededUniforms(n, seed, -scale, scale);

describe('wasmAdam (the SIMD Adam update on tfjs-backend-wasm)', () => {
  it('is available on wasm only', async () => {
    expect(wasmAdamAvailable()).toBe(true);
    await tf.setBackend('cpu');
    try {
      expect(wasmAdamAvailable()).toBe(false);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  // Sizes around the 4-lane blocks: the vector loop alone, the one-element loop alone, and both.
  it.each([1, 3, 4, 5, 8, 1001])(
    'matches adamUpdate (float64 arithmetic) over three steps, %i values, leaving its inputs as they were',
    async (n) => {
      const before = tf.memory().numTensors;
      const w0 = values(n, 1);
      // The reference: adam-update.ts's loop, in float64 with float32 storage. Tolerances: float32 rounding of the
      // largest terms (m: (g − m)·c₁ up to 1; v: g²·c₂ up to 0.1; w: an update of ≈ lr on weights of ≈ 1).
      const [m64, v64, w64] = [new Float32Array(n), new Float32Array(n), Float32Array.from(w0)];
      let m: tf.Tensor = tf.zeros([n]);
      let v: tf.Tensor = tf.zeros([n]);
      let w: tf.Tensor = tf.tensor1d(w0);
      for (let t = 1; t <= 3; t++) {
        const gs = values(n, 10 + t, 10 ** (t - 2)); // gradients of 0.1, 1 and 10 in size
        const step = adamStepScalars(CONFIG, t);
        adamUpdate(step, gs, m64, v64, w64, w64);
        const g = tf.tensor1d(gs);
        const wBefore = await w.data();
        const next = wasmAdam(g, m, v, w, step);
        expect(next.map((x) => x.shape)).toEqual([[n], [n], [n]]);
        if (t === 1) {
          // Adam's first step moves every weight by lr·g/(|g| + ε̂) ≈ ±lr: no element was skipped.
          const moved = Array.from(await next[2].data(), (x, i) => Math.abs(x - w0[i]!));
          for (const d of moved) expect(Math.abs(d - CONFIG.learningRate)).toBeLessThan(1e-6);
        }
        expect(await w.data()).toEqual(wBefore); // a new tensor: the old weights are untouched
        tf.dispose([g, m, v, w]);
        [m, v, w] = next;
      }
      await assertClose(m, Array.from(m64), { rtol: 1e-6, atol: 1e-6, label: 'm' });
      await assertClose(v, Array.from(v64), { rtol: 1e-6, atol: 1e-8, label: 'v' });
      await assertClose(w, Array.from(w64), { atol: 1e-6, label: 'w' });
      tf.dispose([m, v, w]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it("is FusedAdam's update on wasm: one kernel per variable instead of 12", async () => {
    const w = tf.variable(tf.tensor2d(values(12, 2), [3, 4]), true, 'wasm-adam/w');
    const b = tf.variable(tf.tensor1d(values(3, 3)), true, 'wasm-adam/b');
    const optimizer = new FusedAdam({ update: 'kernels' });
    try {
      const info = await tf.profile(() =>
        tf.tidy(() => optimizer.applyGradients({ 'wasm-adam/w': tf.ones([3, 4]), 'wasm-adam/b': tf.ones([3]) })),
      );
      const names = info.kernels.map((k) => k.name).filter((k) => k !== 'Fill' && k !== 'Identity');
      expect(names).toEqual(['LatentlabAdamWasm', 'LatentlabAdamWasm']);
      // A gradient of 1 at step 1 moves every weight by −lr·1/(1 + ε) ≈ −lr.
      await assertClose(
        b,
        Array.from(values(3, 3), (x) => x - CONFIG.learningRate),
        { atol: 1e-6 },
      );
    } finally {
      optimizer.dispose();
      tf.dispose([w, b]);
    }
  });
});
