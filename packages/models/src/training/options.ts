// The trainer's options: `TrainOptions` and its parts, the frozen `DEFAULT_TRAIN_OPTIONS`, the accepted keys and
// `resolveOptions`, which checks every option before any step (typed errors naming the caller).
import { checkInteger, checkKeys, checkNumber, ValueError } from '@latentlab/core';
import type { TransformOptions } from '@latentlab/data';
import type { Optimizer } from '@tensorflow/tfjs-core';
import type { ModelInput } from '../inputs.js';
import { DEFAULT_OPTIMIZER_CONFIG, type OptimizerConfig } from '../optimizers.js';
import type { LearningRateSchedule } from '../schedules.js';
import type { BatchLog, EpochLog } from './logs.js';
import { checkTrainState, type TrainState } from './train-state.js';

/** The part of an `AbortSignal` the trainer reads (no DOM types needed). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** Early stopping ({@link TrainOptions.earlyStopping}): when to stop, and whether to put the best weights back. */
export interface EarlyStoppingOptions {
  /** Epochs without an improvement larger than `minDelta` before stopping (integer ≥ 1). */
  patience: number;
  /** The smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping early (default true). */
  restoreBestWeights?: boolean;
}

/** Options of {@link train} (and of the models' `fit`). */
export interface TrainOptions {
  /** Passes over the data (integer ≥ 1). */
  epochs: number;
  /** Examples per step (integer ≥ 1; the last batch of an epoch may be smaller). */
  batchSize: number;
  /** Visit the examples in a seeded random order each epoch (from `seed` and the epoch number). */
  shuffle: boolean;
  /** Seed of the shuffle (integer ≥ 0). */
  seed: number;
  /** An optimizer config (built fresh for this run) or an existing tfjs optimizer (kept by the caller). */
  optimizer: OptimizerConfig | Optimizer;
  /** Learning rate per step; overrides the optimizer's own. */
  learningRateSchedule?: LearningRateSchedule;
  /** Data evaluated after every epoch (reconstruction and KL reported apart); any {@link ModelInput}. */
  validationData?: ModelInput;
  /**
   * Hold out the last fraction f ∈ (0, 1) of the examples (before shuffling, as Keras does: the training rows are
   * the first ⌊n·(1 − f)⌋) and evaluate them after every epoch into `EpochLog.validation`. Exclusive with
   * `validationData`.
   */
  validationSplit?: number;
  /** How stored values become batch values (scale /255 for bytes by default, binarisation, ...). */
  transform?: TransformOptions;
  earlyStopping?: EarlyStoppingOptions;
  /** Stops training before the next step; `train` then resolves with `stopReason: 'aborted'`. */
  signal?: AbortSignalLike;
  /** Called after every optimiser step with its losses (awaited when it returns a promise). */
  onBatchEnd?: (log: BatchLog) => void | Promise<void>;
  /** After every epoch, with the state a checkpoint needs to {@link TrainOptions.initialState resume} from there. */
  onEpochEnd?: (log: EpochLog, state: TrainState) => void | Promise<void>;
  /**
   * Resume a run from a {@link TrainState} (of an epoch end, passed to `onEpochEnd` and saved by `saveModel`, or
   * where an aborted run stopped, `TrainResult.state`):
   * training continues with epoch `state.epoch` (shuffle order from (seed, epoch), step counter, history and
   * early-stopping bookkeeping as they were). The weights, the optimizer (pass it as `optimizer`, with its
   * slots restored) and the model's noise streams must be restored by the caller (`loadModel` does all three).
   * A state with `batch` > 0 (`TrainResult.state` of an aborted run) resumes inside its epoch, after the batches
   * already taken. `epochs` stays the total number of epochs of the run.
   */
  initialState?: TrainState;
  /** Give the event loop a macrotask turn at least this often, in ms (0: after every step). */
  yieldEveryMs: number;
}

/** Defaults of {@link TrainOptions}: 10 epochs of batch 128 with Adam (lr 1e-3), shuffled, seed 0. */
export const DEFAULT_TRAIN_OPTIONS: Readonly<Omit<TrainOptions, 'optimizer'> & { optimizer: OptimizerConfig }> =
  Object.freeze({
    epochs: 10,
    batchSize: 128,
    shuffle: true,
    seed: 0,
    optimizer: DEFAULT_OPTIMIZER_CONFIG,
    yieldEveryMs: 20,
  });

/** The keys of {@link TrainOptions}. */
export const TRAIN_OPTION_KEYS: readonly string[] = Object.freeze([
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'optimizer',
  'learningRateSchedule',
  'validationData',
  'validationSplit',
  'transform',
  'earlyStopping',
  'signal',
  'onBatchEnd',
  'onEpochEnd',
  'initialState',
  'yieldEveryMs',
]);

/** The keys of data's `TransformOptions`. */
export const TRANSFORM_KEYS: readonly string[] = Object.freeze(['scale', 'binarize', 'threshold']);

/** Advice for option names of Keras / tfjs-layers' `model.fit`. */
const KERAS_HINTS = Object.freeze({
  callbacks: "Keras' callbacks object: pass onEpochEnd(log, state) and onBatchEnd(log) directly as options",
  verbose: 'log from onEpochEnd(log) instead',
});

/** Resolves the options, checking every one (so bad configuration fails before any step). */
export function resolveOptions(fn: string, options: Partial<TrainOptions>): TrainOptions {
  checkKeys(fn, 'options', options, TRAIN_OPTION_KEYS, { hints: KERAS_HINTS });
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...given } as TrainOptions;
  checkInteger(fn, 'epochs', o.epochs, 1);
  checkInteger(fn, 'batchSize', o.batchSize, 1);
  checkInteger(fn, 'seed', o.seed, 0);
  checkNumber(fn, 'yieldEveryMs', o.yieldEveryMs, { min: 0 });
  if (o.initialState !== undefined) checkTrainState(fn, o.initialState, o.epochs);
  if (o.validationSplit !== undefined) {
    checkNumber(fn, 'validationSplit', o.validationSplit, { positive: true });
    if (!(o.validationSplit < 1)) {
      throw new ValueError(fn, 'validationSplit is out of range', 'a number in (0, 1)', String(o.validationSplit));
    }
    if (o.validationData !== undefined) {
      throw new ValueError(fn, 'validationSplit and validationData are exclusive', 'at most one of them', 'both');
    }
  }
  checkKeys(fn, 'options.transform', o.transform, TRANSFORM_KEYS);
  for (const name of ['onBatchEnd', 'onEpochEnd'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new ValueError(fn, `${name} is not a function`, 'a function', typeof o[name]);
    }
  }
  if (o.earlyStopping) {
    checkKeys(fn, 'options.earlyStopping', o.earlyStopping, ['patience', 'minDelta', 'restoreBestWeights']);
    checkInteger(fn, 'earlyStopping.patience', o.earlyStopping.patience, 1);
    checkNumber(fn, 'earlyStopping.minDelta', o.earlyStopping.minDelta ?? 0, { min: 0 });
  }
  if (o.learningRateSchedule !== undefined && typeof o.learningRateSchedule !== 'function') {
    throw new ValueError(
      fn,
      'learningRateSchedule is not a function',
      '(step, epoch) => number',
      String(o.learningRateSchedule),
    );
  }
  return o;
}
