import { ValueError } from '@latentlab/core';
import { assertClose, assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../optimizers.js';
import { WebGpuAdam } from './adam.js';

// Sizes that are no multiple of the 256-wide workgroup; c joins at the second step (the buffers grow).
const SHAPES: Record<string, number[]> = { a: [7, 5], b: [3], c: [300] };
const CONFIG = { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 };
const init = (name: string, seed: number) => Array.from(seededUniforms(tf.util.sizeFromShape(SHAPES[name]!), seed));
/** The gradients of step s: a, b at every step, c from step 1 on (with a 0-based s). */
const stepGrads = (s: number) =>
  Object.keys(SHAPES)
    .filter((name) => name !== 'c' || s >= 1)
    .map((name, i) => [name, init(name, 100 * s + i).map((u) => 4 * u - 2)] as const);

let run = 0;

/** Three steps of `optimizer` on fresh variables; their final values. */
async function train(optimizer: tf.Optimizer): Promise<Record<string, Float32Array>> {
  run += 1;
  const vars = Object.fromEntries(
    Object.keys(SHAPES).map((name, i) => [
      name,
      tf.variable(tf.tensor(init(name, i + 1), SHAPES[name]), true, `adam${run}/${name}`),
    ]),
  );
  for (let s = 0; s < 3; s++) {
    const grads = tf.tidy(() =>
      Object.fromEntries(stepGrads(s).map(([name, g]) => [vars[name]!.name, tf.tensor(g, SHAPES[name])])),
    );
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(vars)) out[name] = (await v.data()) as Float32Array;
  tf.dispose(Object.values(vars));
  return out;
}

describe('WebGpuAdam', () => {
  afterEach(async () => {
    await tf.setBackend('webgpu');
  });

  it("matches tfjs's Adam on webgpu and on cpu after three steps (≤ 1e-3 relative)", async () => {
    const fused = new WebGpuAdam(CONFIG);
    const got = await train(fused);
    fused.dispose();
    const { learningRate, beta1, beta2, epsilon } = CONFIG;
    const plainOpt = tf.train.adam(learningRate, beta1, beta2, epsilon);
    const plain = await train(plainOpt);
    plainOpt.dispose();
    await tf.setBackend('cpu');
    const cpuOpt = tf.train.adam(learningRate, beta1, beta2, epsilon);
    const cpu = await train(cpuOpt);
    cpuOpt.dispose();
    for (const name of Object.keys(SHAPES)) {
      await assertClose(got[name]!, plain[name]!, {
        rtol: 1e-3,
        atol: 1e-6,
        label: `${name} vs tf.train.adam on webgpu`,
      });
      await assertClose(got[name]!, cpu[name]!, { rtol: 1e-3, atol: 1e-6, label: `${name} vs tf.train.adam on cpu` });
    }
  });

  it('updates the whole parameter set in one kernel, without leaking', async () => {
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    expect(optimizer).toBeInstanceOf(WebGpuAdam);
    const vars = [tf.variable(tf.ones([4, 3])), tf.variable(tf.ones([3]))];
    const grads = () => Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)]));
    const g = grads();
    optimizer.applyGradients(g); // first step: creates the buffers (no tensors)
    const info = await tf.profile(() => optimizer.applyGradients(g));
    expect(info.kernels.map((k) => k.name)).toEqual(['LatentlabAdam']);
    await assertNoLeaks(() => optimizer.applyGradients(g));
    tf.dispose(Object.values(g));
    optimizer.dispose();
    tf.dispose(vars);
  });

  it('saves and restores its moments (getWeights/setWeights) and refuses another backend', async () => {
    const a = new WebGpuAdam(CONFIG);
    const v = tf.variable(tf.tensor1d([1, 2, 3]), true, 'adam-save/w');
    const g = { [v.name]: tf.tensor1d([0.5, -1, 2]) };
    a.applyGradients(g);
    const saved = await a.getWeights();
    expect(saved.map((w) => w.name)).toEqual(['iter', 'adam-save/w/m', 'adam-save/w/v']);
    // After one step from zero moments: m = (1 − β₁)g, v = (1 − β₂)g².
    await assertClose(
      await saved[1]!.tensor.data(),
      [0.5, -1, 2].map((x) => (1 - CONFIG.beta1) * x),
      { rtol: 1e-6 },
    );
    await assertClose(
      await saved[2]!.tensor.data(),
      [0.5, -1, 2].map((x) => (1 - CONFIG.beta2) * x * x),
      { rtol: 1e-6 },
    );
    const b = new WebGpuAdam(CONFIG);
    await b.setWeights(saved);
    const w0 = tf.clone(v);
    a.applyGradients(g);
    const afterA = await v.data();
    v.assign(w0);
    b.applyGradients(g);
    await assertClose(await v.data(), afterA, { rtol: 1e-6, atol: 0 });
    await tf.setBackend('cpu');
    expect(() => b.applyGradients({})).toThrow(ValueError);
    await tf.setBackend('webgpu');
    a.dispose();
    b.dispose();
    tf.dispose([v, w0, ...Object.values(g)]);
  });
});
