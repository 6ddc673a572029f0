import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  kernelsPerStep,
  latentlabVaeStep,
  plainVaeStep,
  randomBatch,
  type StepCount,
} from '../../../bench/gpu/vae-steps.js';
import { Vae } from '../../vae.js';
import { setWebGpuFastPath } from './fast-path.js';

/** How often each kernel name occurs. */
function counts(names: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const n of names) c[n] = (c[n] ?? 0) + 1;
  return c;
}

/** Loss and gradients of one training-objective evaluation of a fresh reference VAE (same seed, same noise). */
async function lossAndGrads(): Promise<Float32Array[]> {
  const vae = new Vae({ seed: 3 });
  const x = randomBatch(16);
  const { value, grads } = tf.variableGrads(
    () => vae.loss(x, { step: 0, training: true }).total,
    vae.trainableVariables as tf.Variable[],
  );
  const out = await Promise.all(
    [value, ...vae.trainableVariables.map((v) => grads[v.name]!)].map((t) => t.data() as Promise<Float32Array>),
  );
  tf.dispose([value, x, ...Object.values(grads)]);
  vae.dispose();
  return out;
}

describe('the VAE training step on webgpu', () => {
  afterEach(() => {
    setWebGpuFastPath(true);
  });

  it('gives the loss and gradients of the plain path (≤ 1e-3 relative)', async () => {
    const fast = await lossAndGrads();
    setWebGpuFastPath(false);
    const plain = await lossAndGrads();
    for (const [i, values] of fast.entries()) {
      // Gradients near 0 are sums of many float32 products in another order: an absolute floor of 1e-3 of the largest.
      const scale = plain[i]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      await assertClose(values, plain[i]!, {
        rtol: 1e-3,
        atol: 1e-3 * scale,
        label: i === 0 ? 'loss' : `gradient ${i}`,
      });
    }
  });

  it('runs fewer kernels per step than the plain path, one of them Adam (counts logged for BENCHMARKS.md)', async () => {
    // 16 rows: the counts do not depend on the batch size, and SwiftShader is slow.
    const fused = await kernelsPerStep(latentlabVaeStep, 16);
    setWebGpuFastPath(false);
    const unfused = await kernelsPerStep(latentlabVaeStep, 16);
    const plain = await kernelsPerStep(plainVaeStep, 16);
    const summary = (c: StepCount) => ({ kernels: c.kernels.length, dispatches: c.dispatches });
    console.log(
      JSON.stringify({
        plainTfjs: summary(plain),
        latentlabWithoutWebGpuKernels: summary(unfused),
        latentlabWebGpu: summary(fused),
        fusedKernels: counts(fused.kernels),
      }),
    );
    expect(fused.kernels.filter((n) => n === 'LatentlabAdam')).toHaveLength(1);
    expect(fused.dispatches).toBeLessThan(unfused.dispatches);
    expect(unfused.dispatches).toBeLessThan(plain.dispatches);
  });

  it('leaks no tensor over a step (the optimizer state lives in GPU buffers)', async () => {
    const s = latentlabVaeStep();
    const x = randomBatch(8);
    tf.dispose(s.step(x)); // the first step creates the state
    await assertNoLeaks(() => tf.dispose(s.step(x)));
    s.dispose();
    x.dispose();
  });
});
