import { describe, expect, it } from 'vitest';
import { Accumulator } from './accumulator.js';

// Batches of unequal size: the means must weight each batch by its size, Σ size·value / Σ size.
const batches = [
  { values: [2, 1.5, 0.5], size: 10 },
  { values: [4, 3, 1], size: 30 },
  { values: [1, 0.75, 0.25], size: 7 },
];
const weightedMean = (k: number) =>
  batches.reduce((s, b) => s + b.values[k]! * b.size, 0) / batches.reduce((s, b) => s + b.size, 0);

describe('Accumulator', () => {
  it('gives the size-weighted means, with kl null when the batches had none', () => {
    const withKl = new Accumulator();
    const withoutKl = new Accumulator();
    for (const b of batches) {
      withKl.add(b.values, b.size, true);
      withoutKl.add(b.values.slice(0, 2), b.size, false);
    }
    const summary = withKl.summary();
    expect(summary.loss).toBeCloseTo(weightedMean(0), 12);
    expect(summary.reconstruction).toBeCloseTo(weightedMean(1), 12);
    expect(summary.kl).toBeCloseTo(weightedMean(2), 12);
    expect(withoutKl.summary().kl).toBeNull();
  });

  it('resumes from the sums of a partly done epoch as if the batches were added again', () => {
    const whole = new Accumulator();
    const first = new Accumulator();
    for (const b of batches) whole.add(b.values, b.size, true);
    first.add(batches[0]!.values, batches[0]!.size, true);
    const resumed = Accumulator.from(first.sums);
    for (const b of batches.slice(1)) resumed.add(b.values, b.size, true);
    expect(resumed.summary()).toEqual(whole.summary());
  });
});
