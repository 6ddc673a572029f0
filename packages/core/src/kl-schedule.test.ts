import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from './errors.js';
import { cyclicalKlAnnealing, freeBits, klWarmup } from './kl-schedule.js';
import { assertClose, assertNoLeaks } from './testing/index.js';

const TOL = ['webgl', 'webgpu'].includes(tf.getBackend()) ? { atol: 1e-4, rtol: 1e-4 } : { atol: 1e-6, rtol: 1e-6 };

describe('klWarmup', () => {
  it('rises linearly from 0 to betaMax over warmupSteps, then holds', () => {
    expect(klWarmup(0, { warmupSteps: 1000 })).toBe(0);
    expect(klWarmup(250, { warmupSteps: 1000 })).toBe(0.25);
    expect(klWarmup(1000, { warmupSteps: 1000 })).toBe(1);
    expect(klWarmup(5000, { warmupSteps: 1000, betaMax: 4 })).toBe(4);
    for (const step of [0, 1, 7, 99, 100, 101, 1e6]) {
      expect(klWarmup(step, { warmupSteps: 100, betaMax: 0.5 })).toBeCloseTo(0.5 * Math.min(1, step / 100), 12);
    }
  });

  it('is betaMax from the start when warmupSteps = 0', () => {
    expect(klWarmup(0, { warmupSteps: 0, betaMax: 2 })).toBe(2);
  });

  it('throws a ValueError naming klWarmup for negative or non-finite arguments', () => {
    const bad: Array<[number, { warmupSteps: number; betaMax?: number }]> = [
      [-1, { warmupSteps: 10 }],
      [Number.NaN, { warmupSteps: 10 }],
      [1, { warmupSteps: -5 }],
      [1, { warmupSteps: Number.POSITIVE_INFINITY }],
      [1, { warmupSteps: 10, betaMax: -1 }],
      [1, { warmupSteps: 10, betaMax: Number.NaN }],
    ];
    for (const [step, o] of bad) {
      expect(() => klWarmup(step, o)).toThrow(ValueError);
      expect(() => klWarmup(step, o)).toThrow(/^Error in klWarmup: /);
    }
  });
});

describe('cyclicalKlAnnealing', () => {
  it('restarts the linear ramp every cycle and holds betaMax for the rest of it', () => {
    const o = { cycleSteps: 1000, rampFraction: 0.5, betaMax: 1 };
    expect(cyclicalKlAnnealing(1250, { cycleSteps: 1000 })).toBe(0.5);
    for (const step of [0, 100, 499, 500, 999, 1000, 1100, 2600, 3999]) {
      const tau = (step % 1000) / 1000;
      expect(cyclicalKlAnnealing(step, o)).toBeCloseTo(Math.min(1, tau / 0.5), 12);
    }
    expect(cyclicalKlAnnealing(300, { cycleSteps: 400, rampFraction: 1, betaMax: 2 })).toBeCloseTo(1.5, 12);
  });

  it('throws a ValueError naming cyclicalKlAnnealing for bad arguments', () => {
    for (const o of [{ cycleSteps: 0 }, { cycleSteps: 10, rampFraction: 0 }, { cycleSteps: 10, rampFraction: 1.5 }]) {
      expect(() => cyclicalKlAnnealing(1, o)).toThrow(ValueError);
      expect(() => cyclicalKlAnnealing(1, o)).toThrow(/^Error in cyclicalKlAnnealing: /);
    }
    expect(() => cyclicalKlAnnealing(-1, { cycleSteps: 10 })).toThrow(ValueError);
  });
});

describe('freeBits', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('is Σ_j max(λ, batch mean of KL_j)', async () => {
    const kl = [
      [0.1, 3, 0.45, 2],
      [0.3, 1, 0.6, 0.1],
      [0.2, 0.5, 0.5, 0.05],
    ];
    for (const lambda of [0, 0.25, 0.5, 1.5]) {
      const expected = [0, 1, 2, 3].reduce(
        (s, j) => s + Math.max(lambda, (kl[0]![j]! + kl[1]![j]! + kl[2]![j]!) / 3),
        0,
      );
      await assertClose(freeBits(tf.tensor2d(kl), lambda), expected, TOL);
    }
    await assertClose(
      freeBits(
        tf.tensor2d([
          [0.1, 3],
          [0.3, 1],
        ]),
        0.5,
      ),
      2.5,
      TOL,
    ); // the documented example
  });

  it('passes gradient 1/B to dimensions above the floor and none to those below it', async () => {
    const g = tf.grad((t: tf.Tensor) => freeBits(t as tf.Tensor2D, 0.5))(
      tf.tensor2d([
        [0.1, 3],
        [0.3, 1],
      ]),
    );
    await assertClose(g, [0, 0.5, 0, 0.5], { atol: 1e-7 });
  });

  it('leaks no tensors', async () => {
    const kl = tf.tensor2d([[0.1, 3]]);
    (await assertNoLeaks(() => freeBits(kl, 0.5), 1)).dispose();
  });

  it('throws a ValueError for a NaN, infinite or negative λ and a ShapeError for a bad klPerDim, naming freeBits', () => {
    const kl = tf.tensor2d([[0.1, 3]]);
    for (const lambda of [Number.NaN, -0.1, Number.POSITIVE_INFINITY]) {
      expect(() => freeBits(kl, lambda)).toThrow(ValueError);
      expect(() => freeBits(kl, lambda)).toThrow(/^Error in freeBits: lambda /);
    }
    for (const shape of [[3], [1, 2, 3], [0, 4]]) {
      const t = tf.zeros(shape) as tf.Tensor as tf.Tensor2D;
      expect(() => freeBits(t, 0.5)).toThrow(ShapeError);
      expect(() => freeBits(t, 0.5)).toThrow(/^Error in freeBits: /);
    }
  });
});
