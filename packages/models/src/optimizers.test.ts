import { ValueError } from '@latentlab/core';
import { assertClose } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createOptimizer, DEFAULT_OPTIMIZER_CONFIG, getLearningRate, setLearningRate } from './optimizers.js';
import { cosineDecay, exponentialDecay, stepDecay } from './schedules.js';

describe('createOptimizer', () => {
  it('Adam with PyTorch’s defaults takes the step of its formula', async () => {
    expect(DEFAULT_OPTIMIZER_CONFIG).toEqual({
      name: 'adam',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    const opt = createOptimizer();
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const g = [0.5, -3]; // ∇ of Σ g_i θ_i
    for (let t = 1; t <= 2; t++) opt.minimize(() => tf.sum(tf.mul(theta, g)) as tf.Scalar, false, [theta]);
    // Two Adam steps with a constant gradient: m̂ = g, v̂ = g², so each step is −η·g/(|g| + ε) ≈ −η·sign(g).
    const step = (gi: number) => (1e-3 * gi) / (Math.abs(gi) + 1e-8);
    await assertClose(theta, [1 - 2 * step(0.5), -2 - 2 * step(-3)], { atol: 1e-6 });
    opt.dispose();
    theta.dispose();
  });

  it("passes Adam's update path through: 'kernels' and 'js' take the same steps; an unknown one is a ValueError", async () => {
    const thetas: number[][] = [];
    for (const update of ['kernels', 'js'] as const) {
      const opt = createOptimizer({ name: 'adam', learningRate: 0.1, update });
      expect((opt as unknown as { config: { update: string } }).config.update).toBe(update);
      const theta = tf.variable(tf.tensor1d([1, -2]));
      // L = ½‖θ‖²: g = θ; step 1 moves each θ_i by −η·sign(θ_i) (m̂ = g, v̂ = g²).
      opt.minimize(() => tf.mul(tf.sum(tf.square(theta)), 0.5) as tf.Scalar, false, [theta]);
      thetas.push(Array.from(await theta.data()));
      opt.dispose();
      theta.dispose();
    }
    await assertClose(thetas[0]!, [1 - 0.1, -2 + 0.1], { atol: 1e-6 });
    await assertClose(thetas[1]!, thetas[0]!, { atol: 1e-7 });
    expect(() => createOptimizer({ name: 'adam', learningRate: 1e-3, update: 'gpu' as never })).toThrow(
      /Error in createOptimizer: unknown update: expected 'kernels' \| 'js' \| 'auto', found "gpu"/,
    );
  });

  it('builds SGD, momentum and RMSProp; typed errors for bad numbers', () => {
    for (const config of [
      { name: 'sgd', learningRate: 0.1 },
      { name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
      { name: 'rmsprop', learningRate: 0.01 },
    ] as const) {
      const opt = createOptimizer(config);
      expect(getLearningRate(opt)).toBe(config.learningRate);
      setLearningRate(opt, 0.5);
      expect(getLearningRate(opt)).toBe(0.5);
      opt.dispose();
    }
    expect(() => createOptimizer({ name: 'adam', learningRate: Number.NaN })).toThrow(ValueError);
    expect(() => createOptimizer({ name: 'adam', learningRate: -1 })).toThrow(
      /learningRate is out of range: expected a finite number > 0, found -1/,
    );
    expect(() => createOptimizer({ name: 'adam', learningRate: 1e-3, beta1: 1 })).toThrow(
      /beta1 is out of range: expected a number in \[0, 1\)/,
    );
    const opt = createOptimizer();
    expect(() => setLearningRate(opt, Number.POSITIVE_INFINITY)).toThrow(ValueError);
    opt.dispose();
  });

  it('setLearningRate on Adam changes the next step', async () => {
    const opt = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    const theta = tf.variable(tf.scalar(0));
    setLearningRate(opt, 0.25);
    opt.minimize(() => tf.mul(theta, 2) as tf.Scalar, false, [theta]);
    expect((await theta.data())[0]).toBeCloseTo(-0.25, 5); // first step: −η·g/(|g| + ε)
    opt.dispose();
    theta.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('follow their formulas', () => {
    const s = stepDecay({ initial: 1e-3, factor: 0.5, everyEpochs: 10 });
    expect([s(0, 0), s(0, 9), s(0, 10), s(0, 25)]).toEqual([1e-3, 1e-3, 5e-4, 2.5e-4]);
    const e = exponentialDecay({ initial: 1e-3, rate: 0.1, decaySteps: 1000 });
    expect(e(500, 0)).toBeCloseTo(1e-3 * 0.1 ** 0.5, 12);
    const c = cosineDecay({ initial: 1e-3, totalSteps: 1100, warmupSteps: 100, minimum: 1e-5 });
    expect(c(0, 0)).toBeCloseTo(1e-5, 12); // (0 + 1)/100 · 1e-3
    expect(c(99, 0)).toBeCloseTo(1e-3, 12);
    expect(c(600, 0)).toBeCloseTo(1e-5 + 0.5 * (1e-3 - 1e-5), 12); // halfway: cos(π/2) = 0
    expect(c(1100, 0)).toBeCloseTo(1e-5, 12);
    expect(c(5000, 0)).toBeCloseTo(1e-5, 12);
    expect(() => cosineDecay({ initial: 1e-3, totalSteps: 10, warmupSteps: 10 })).toThrow(ValueError);
    expect(() => cosineDecay({ initial: 1e-3, totalSteps: 10, minimum: 1 })).toThrow(/minimum exceeds initial/);
    expect(() => stepDecay({ initial: Number.NaN, factor: 0.5, everyEpochs: 1 })).toThrow(ValueError);
  });
});
