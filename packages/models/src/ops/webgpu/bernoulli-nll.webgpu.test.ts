import { bernoulliNll } from '@latentlab/core';
import { assertClose, assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bernoulliNllWebGpu } from './bernoulli-nll.js';
import { setWebGpuFastPath, webgpuFastPath } from './fast-path.js';

/** The NLL as the VAE's loss takes it: the WebGPU kernel on the fast path, core's `bernoulliNll` otherwise. */
const nllOnPath = (x: tf.Tensor, l: tf.Tensor) => (webgpuFastPath() ? bernoulliNllWebGpu(x, l) : bernoulliNll(x, l));

// 37 features: rows do not line up with the 64-wide workgroups. Logits up to ±30 test the stable form.
const [B, D] = [6, 37];
const xs = Array.from(seededUniforms(B * D, 1));
const ls = Array.from(seededUniforms(B * D, 2, -30, 30));
const rs = Array.from(seededUniforms(B, 3, -1, 1)); // ∂L/∂nll_b, not all ones

/** The NLL per row and its gradient r_b·(σ(l) − x), in float64 (log1p/exp in their stable ranges). */
function reference(): { nll: number[]; grad: number[] } {
  const nll = new Array<number>(B).fill(0);
  const grad = new Array<number>(B * D);
  for (let b = 0; b < B; b++) {
    for (let i = b * D; i < (b + 1) * D; i++) {
      const l = ls[i]!;
      nll[b]! += Math.max(l, 0) - l * xs[i]! + Math.log1p(Math.exp(-Math.abs(l)));
      grad[i] = rs[b]! * (1 / (1 + Math.exp(-l)) - xs[i]!);
    }
  }
  return { nll, grad };
}

/** Value and gradient of Σ_b r_b·nll_b through the loss's NLL on the current backend and path. */
async function run(): Promise<{ nll: Float32Array; grad: Float32Array }> {
  const [nll, grad] = tf.tidy(() => {
    const x = tf.tensor2d(xs, [B, D]);
    const l = tf.tensor2d(ls, [B, D]);
    const r = tf.tensor1d(rs);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(nllOnPath(x, t), r)))(l);
    return [nllOnPath(x, l), g];
  });
  const out = { nll: (await nll.data()) as Float32Array, grad: (await grad.data()) as Float32Array };
  tf.dispose([nll, grad]);
  return out;
}

describe('bernoulliNllWebGpu (through the loss NLL on webgpu)', () => {
  afterEach(async () => {
    setWebGpuFastPath(true);
    await tf.setBackend('webgpu');
  });

  it('matches the float64 formula, the plain ops on webgpu and on cpu (≤ 1e-3 relative)', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const fused = await run();
    setWebGpuFastPath(false);
    const plain = await run();
    await tf.setBackend('cpu');
    const cpu = await run();
    const ref = reference();
    for (const [label, other] of [
      ['float64', ref],
      ['plain webgpu', plain],
      ['cpu', cpu],
    ] as const) {
      await assertClose(fused.nll, other.nll, { rtol: 1e-3, atol: 1e-4, label: `nll vs ${label}` });
      await assertClose(fused.grad, other.grad, { rtol: 1e-3, atol: 1e-6, label: `gradient vs ${label}` });
    }
  });

  it('runs as one kernel forward and one backward', async () => {
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const x = tf.tensor2d(xs, [B, D]);
        return tf.grad((t: tf.Tensor) => tf.sum(nllOnPath(x, t)))(tf.tensor2d(ls, [B, D]));
      }),
    );
    tf.dispose(info.result);
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n.startsWith('LatentlabBernoulliNll'))).toEqual([
      'LatentlabBernoulliNll',
      'LatentlabBernoulliNllGrad',
    ]);
  });

  it('reads x cast from bool (tfjs-webgpu keeps its i32 buffer)', async () => {
    const bits = xs.map((u) => u > 0.5);
    const [fromBool, fromFloat] = tf.tidy(() => {
      const l = tf.tensor2d(ls, [B, D]);
      const xb = tf.cast(tf.tensor2d(bits, [B, D], 'bool'), 'float32');
      const xf = tf.tensor2d(bits.map(Number), [B, D]);
      return [nllOnPath(xb, l), nllOnPath(xf, l)];
    });
    await assertClose(await fromBool!.data(), await fromFloat!.data(), { atol: 0 });
    tf.dispose([fromBool!, fromFloat!]);
  });

  it('leaks no tensor, forward or backward', async () => {
    const x = tf.tensor2d(xs, [B, D]);
    const l = tf.tensor2d(ls, [B, D]);
    await assertNoLeaks(() => tf.tidy(() => nllOnPath(x, l)).dispose());
    await assertNoLeaks(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(nllOnPath(x, t)))(l)).dispose());
    tf.dispose([x, l]);
  });
});
