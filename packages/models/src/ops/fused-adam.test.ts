import { ValueError } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FusedAdam } from './fused-adam.js';

const W0 = [0.5, -1.25, 2, 0.01];
const B0 = [0.3, -0.7];
// Gradients of three steps, as fixed arrays (so the reference does not depend on the parameters' values).
const GW = [
  [0.2, -0.1, 3, 1e-4],
  [-0.5, 0.25, 2, -1e-4],
  [0.1, 0.1, -1, 0],
];
const GB = [
  [1, -2],
  [0.5, 0.5],
  [-0.25, 4],
];

/** torch.optim.Adam's update in float64 (m, v, then w −= lr/bc1 · m/(√v/√bc2 + ε)), applied to one array. */
function adam64(w0: number[], gs: number[][], lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  gs.forEach((g, s) => {
    const t = s + 1;
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      w[i]! -= ((lr / (1 - b1 ** t)) * m[i]!) / (Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** t) + eps);
    }
  });
  return w;
}

const live: Array<tf.Variable | tf.Optimizer> = [];
afterEach(() => {
  for (const x of live.splice(0)) x.dispose();
});

function setup(prefix: string) {
  const w = tf.variable(tf.tensor2d(W0, [2, 2]), true, `${prefix}/w`);
  const b = tf.variable(tf.tensor1d(B0), true, `${prefix}/b`);
  live.push(w, b);
  return { w, b };
}

function step(optimizer: tf.Optimizer, prefix: string, s: number) {
  tf.tidy(() =>
    optimizer.applyGradients({ [`${prefix}/w`]: tf.tensor2d(GW[s]!, [2, 2]), [`${prefix}/b`]: tf.tensor1d(GB[s]!) }),
  );
}

describe('FusedAdam', () => {
  it.each(['kernels', 'js', 'auto'] as const)(
    "matches torch.optim.Adam's formula (float64) and tfjs's Adam over three steps (update '%s')",
    async (update) => {
      const ours = setup(`fa1${update}`);
      const theirs = setup(`fa1ref${update}`);
      const optimizer = new FusedAdam({ learningRate: 0.1, update }); // a large rate, so the steps are visible in float32
      const reference = tf.train.adam(0.1, 0.9, 0.999, 1e-8);
      live.push(optimizer, reference);
      for (let s = 0; s < 3; s++) {
        step(optimizer, `fa1${update}`, s);
        step(reference, `fa1ref${update}`, s);
      }
      await assertClose(ours.w, adam64(W0, GW, 0.1), { atol: 1e-6, rtol: 1e-5 });
      await assertClose(ours.b, adam64(B0, GB, 0.1), { atol: 1e-6, rtol: 1e-5 });
      await assertClose(ours.w, theirs.w, { atol: 1e-6, rtol: 1e-5 });
      expect(optimizer.iterations).toBe(3);
    },
  );

  it('switches between the kernel and JavaScript paths mid-run, moments carried over', async () => {
    const { w, b } = setup('fa6');
    const optimizer = new FusedAdam({ learningRate: 0.1, update: 'js' });
    live.push(optimizer);
    step(optimizer, 'fa6', 0);
    optimizer.config = Object.freeze({ ...optimizer.config, update: 'kernels' as const });
    step(optimizer, 'fa6', 1);
    optimizer.config = Object.freeze({ ...optimizer.config, update: 'js' as const });
    step(optimizer, 'fa6', 2);
    await assertClose(w, adam64(W0, GW, 0.1), { atol: 1e-6, rtol: 1e-5 });
    await assertClose(b, adam64(B0, GB, 0.1), { atol: 1e-6, rtol: 1e-5 });
  });

  it("keeps the JavaScript path's moments out of tfjs memory, until getWeights makes variables of them", async () => {
    setup('fa7');
    const optimizer = new FusedAdam({ update: 'js' });
    live.push(optimizer);
    await assertNoLeaks(() => step(optimizer, 'fa7', 0), 0, 'first step');
    await assertNoLeaks(() => step(optimizer, 'fa7', 1), 0, 'second step');
    const before = tf.memory().numTensors;
    const saved = await optimizer.getWeights(); // iterations (new) + 4 moments (owned by the optimizer)
    expect(tf.memory().numTensors).toBe(before + 5);
    tf.dispose(saved[0]!.tensor);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'auto' keeps the moments in JavaScript on cpu only (kernels and moment variables elsewhere)", async () => {
    setup('fa8');
    const optimizer = new FusedAdam({ update: 'auto' });
    live.push(optimizer);
    const onCpu = tf.getBackend() === 'cpu';
    await assertNoLeaks(() => step(optimizer, 'fa8', 0), onCpu ? 0 : 4, 'first step');
    await assertNoLeaks(() => step(optimizer, 'fa8', 1), 0, 'second step');
  });

  it('creates two moments per variable on its first step and nothing after (no leaks)', async () => {
    setup('fa2');
    const optimizer = new FusedAdam({ update: 'kernels' });
    live.push(optimizer);
    await assertNoLeaks(() => step(optimizer, 'fa2', 0), 4, 'first step');
    await assertNoLeaks(() => step(optimizer, 'fa2', 1), 0, 'second step');
    const before = tf.memory().numTensors;
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('works through minimize', async () => {
    const { w } = setup('fa3');
    const optimizer = new FusedAdam({ learningRate: 0.01 });
    live.push(optimizer);
    // L = ½‖w‖², g = w: each Adam step moves every coordinate by ≈ lr towards 0.
    optimizer.minimize(() => tf.mul(tf.sum(tf.square(w)), 0.5) as tf.Scalar, false, [w]);
    await assertClose(w, adam64(W0, [W0], 0.01), { atol: 1e-6, rtol: 1e-5 });
  });

  it.each([
    ['kernels', 'js'],
    ['js', 'kernels'],
    ['js', 'js'],
  ] as const)(
    'saves and restores its state (getWeights / setWeights), continuing identically (%s → %s)',
    async (from, to) => {
      const prefix = `fa4${from}${to}`;
      const a = setup(prefix);
      const optimizer = new FusedAdam({ learningRate: 0.1, update: from });
      live.push(optimizer);
      step(optimizer, prefix, 0);
      const saved = await optimizer.getWeights();
      expect(saved.map((s) => s.name)).toEqual([
        'iter',
        `${prefix}/w/m`,
        `${prefix}/b/m`,
        `${prefix}/w/v`,
        `${prefix}/b/v`,
      ]);
      const restored = new FusedAdam({ learningRate: 0.1, update: to });
      live.push(restored);
      await restored.setWeights(saved.map(({ name, tensor }) => ({ name, tensor: tensor.clone() })));
      expect(restored.iterations).toBe(1);
      step(restored, prefix, 1);
      step(restored, prefix, 2);
      tf.dispose(saved[0]!.tensor);
      await assertClose(a.w, adam64(W0, GW, 0.1), { atol: 1e-6, rtol: 1e-5 });
      await assertClose(a.b, adam64(B0, GB, 0.1), { atol: 1e-6, rtol: 1e-5 });
    },
  );

  it('takes a new learning rate between steps, keeping its moments', async () => {
    const { w } = setup('fa5');
    const optimizer = new FusedAdam({ learningRate: 0.1 });
    live.push(optimizer);
    step(optimizer, 'fa5', 0);
    optimizer.learningRate = 0.05;
    expect(optimizer.config.learningRate).toBe(0.05);
    step(optimizer, 'fa5', 1);
    // Reference: torch's update with lr 0.1 at t = 1 and 0.05 at t = 2, the moments carried over.
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const expected = W0.map((w0, i) => {
      let [wi, m, v] = [w0, 0, 0];
      for (const [t, lr] of [
        [1, 0.1],
        [2, 0.05],
      ] as const) {
        const g = GW[t - 1]![i]!;
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        wi -= ((lr / (1 - b1 ** t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
      }
      return wi;
    });
    await assertClose(w, expected, { atol: 1e-6, rtol: 1e-5 });
    expect(() => {
      optimizer.learningRate = -1;
    }).toThrow(ValueError);
  });

  it('rejects bad hyperparameters and unknown variables with a ValueError', () => {
    expect(() => new FusedAdam({ learningRate: 0 })).toThrow(ValueError);
    expect(() => new FusedAdam({ beta1: 1 })).toThrow(
      /Error in FusedAdam: beta1 is out of range: expected a number in \[0, 1\), found 1/,
    );
    expect(() => new FusedAdam({ epsilon: Number.NaN })).toThrow(ValueError);
    expect(() => new FusedAdam({ update: 'gpu' as never })).toThrow(
      /Error in FusedAdam: update is unknown: expected 'kernels' \| 'js' \| 'auto', found gpu/,
    );
    const optimizer = new FusedAdam();
    live.push(optimizer);
    expect(() => tf.tidy(() => optimizer.applyGradients({ 'no-such-variable': tf.zeros([2]) }))).toThrow(
      /FusedAdam.applyGradients: no variable has this name/,
    );
  });
});
