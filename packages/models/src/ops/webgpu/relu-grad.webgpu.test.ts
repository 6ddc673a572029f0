import { assertClose, assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dense } from '../dense.js';
import { denseRelu } from '../dense-relu.js';
import { setWebGpuFastPath } from './fast-path.js';
import { reluGradWebGpu } from './relu-grad.js';

const values = (n: number, seed: number) => Array.from(seededUniforms(n, seed, -1, 1));

const [M, K, N] = [9, 17, 11];
const xs = values(M * K, 1);
const ws = values(K * N, 2);
const bs = values(N, 3);
const rs = values(M * N, 4);

/** relu(x·W + b) (or the affine map) in float64, and the gradients of Σ r⊙y with respect to x, W and b. */
function reference(relu: boolean) {
  const y: number[] = [];
  const g: number[] = [];
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let u = bs[j]!;
      for (let l = 0; l < K; l++) u += xs[i * K + l]! * ws[l * N + j]!;
      y.push(relu ? Math.max(u, 0) : u);
      g.push(!relu || u > 0 ? rs[i * N + j]! : 0); // ∂L/∂u
    }
  const dx = Array.from({ length: M * K }, (_, p) => {
    const [i, l] = [Math.floor(p / K), p % K];
    return Array.from({ length: N }, (_, j) => g[i * N + j]! * ws[l * N + j]!).reduce((a, b) => a + b);
  });
  const dw = Array.from({ length: K * N }, (_, p) => {
    const [l, j] = [Math.floor(p / N), p % N];
    return Array.from({ length: M }, (_, i) => xs[i * K + l]! * g[i * N + j]!).reduce((a, b) => a + b);
  });
  const db = Array.from({ length: N }, (_, j) =>
    Array.from({ length: M }, (_, i) => g[i * N + j]!).reduce((a, b) => a + b),
  );
  return { y, dx, dw, db };
}

async function run(relu: boolean) {
  const f = relu ? denseRelu : dense;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(xs, [M, K]);
    const w = tf.tensor2d(ws, [K, N]);
    const b = tf.tensor1d(bs);
    const r = tf.tensor2d(rs, [M, N]);
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), r)),
    )([x, w, b]);
    return [f(x, w, b), ...grads];
  });
  const [y, dx, dw, db] = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  return { y: y!, dx: dx!, dw: dw!, db: db! };
}

describe.each([true, false])('dense layers on webgpu (relu: %s)', (relu) => {
  afterEach(async () => {
    setWebGpuFastPath(true);
    await tf.setBackend('webgpu');
  });

  it('give the values and gradients of the float64 formula, the plain path and cpu (≤ 1e-3 relative)', async () => {
    const fast = await run(relu);
    setWebGpuFastPath(false);
    const plain = await run(relu);
    await tf.setBackend('cpu');
    const cpu = await run(relu);
    for (const [label, other] of [
      ['float64', reference(relu)],
      ['plain webgpu', plain],
      ['cpu', cpu],
    ] as const) {
      for (const key of ['y', 'dx', 'dw', 'db'] as const) {
        await assertClose(fast[key], other[key], { rtol: 1e-3, atol: 1e-5, label: `${key} vs ${label}` });
      }
    }
  });
});

describe('reluGradWebGpu', () => {
  it('is one kernel, dy ⊙ 1[y > 0] (0 at y = 0), without leaks', async () => {
    const dy = tf.tensor2d([[1, -2, 3, 4]]);
    const y = tf.tensor2d([[0.5, 2, 0, -1]]);
    const info = await tf.profile(() => reluGradWebGpu(dy, y));
    expect(info.kernels.map((k) => k.name)).toEqual(['LatentlabReluGrad']);
    await assertClose(await (info.result as tf.Tensor).data(), [1, -2, 0, 0], { atol: 0 });
    tf.dispose(info.result as tf.Tensor);
    await assertNoLeaks(() => reluGradWebGpu(dy, y).dispose());
    tf.dispose([dy, y]);
  });
});
