import { checkInteger, checkNumber, ValueError } from '@latentlab/core';

/**
 * A learning-rate schedule: η as a function of the global step (0-based, counted over all epochs) and the
 * epoch (0-based). The trainer calls it before every step and sets the optimizer's rate in place.
 */
export type LearningRateSchedule = (step: number, epoch: number) => number;

/**
 * Step decay: η = initial · factor^⌊epoch / everyEpochs⌋.
 * @example
 * stepDecay({ initial: 1e-3, factor: 0.5, everyEpochs: 10 })(0, 25); // 2.5e-4
 */
export function stepDecay({ initial, factor, everyEpochs }: StepDecayOptions): LearningRateSchedule {
  checkNumber('stepDecay', 'initial', initial, { positive: true });
  checkNumber('stepDecay', 'factor', factor, { positive: true });
  checkInteger('stepDecay', 'everyEpochs', everyEpochs, 1);
  return (_step, epoch) => initial * factor ** Math.floor(epoch / everyEpochs);
}

/** Options of {@link stepDecay}: the initial rate, the factor and how many epochs between steps. */
export type StepDecayOptions = { initial: number; factor: number; everyEpochs: number };

/**
 * Exponential decay per step: η = initial · rate^(step / decaySteps).
 * @example
 * exponentialDecay({ initial: 1e-3, rate: 0.1, decaySteps: 1000 })(500, 0); // 1e-3 · 0.1^0.5
 */
export function exponentialDecay(options: { initial: number; rate: number; decaySteps: number }): LearningRateSchedule {
  const { initial, rate, decaySteps } = options;
  checkNumber('exponentialDecay', 'initial', initial, { positive: true });
  checkNumber('exponentialDecay', 'rate', rate, { positive: true });
  checkInteger('exponentialDecay', 'decaySteps', decaySteps, 1);
  return (step) => initial * rate ** (step / decaySteps);
}

/**
 * Linear warm-up then cosine decay (Loshchilov & Hutter 2017, without restarts), with W = warmupSteps,
 * T = totalSteps:
 *
 *     η(t) = initial · (t + 1)/W                                              for t < W
 *     η(t) = minimum + ½(initial − minimum)(1 + cos(π · min(1, (t − W)/(T − W))))   for t ≥ W
 *
 * @example
 * const lr = cosineDecay({ initial: 1e-3, totalSteps: 1000, warmupSteps: 100 });
 * lr(550, 0); // halfway through the decay, (t − W)/(T − W) = ½: 5e-4
 */
export function cosineDecay({
  initial,
  totalSteps,
  minimum = 0,
  warmupSteps = 0,
}: {
  initial: number;
  totalSteps: number;
  minimum?: number;
  warmupSteps?: number;
}): LearningRateSchedule {
  const fn = 'cosineDecay';
  checkNumber(fn, 'initial', initial, { positive: true });
  checkInteger(fn, 'warmupSteps', warmupSteps, 0);
  checkInteger(fn, 'totalSteps', totalSteps, warmupSteps + 1);
  checkNumber(fn, 'minimum', minimum, { min: 0 });
  if (minimum > initial)
    throw new ValueError(fn, 'minimum exceeds initial', `a number in [0, ${initial}]`, String(minimum));
  return (step) => {
    if (step < warmupSteps) return (initial * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
    return minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * progress));
  };
}
