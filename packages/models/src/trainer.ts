// Training needs tfjs-core's gradient functions, which tfjs-core alone does not register (see register-gradients.ts).
import '#register-gradients';
import {
  checkInteger,
  checkKeys,
  checkNumber,
  formatShape,
  LatentlabError,
  ShapeError,
  ValueError,
} from '@latentlab/core';
import { batches, createDataset, type Dataset, type TransformOptions } from '@latentlab/data';
import {
  clone,
  dispose,
  keep,
  Optimizer,
  type Scalar,
  stack,
  type Tensor,
  type Tensor2D,
  tidy,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { type HistoryColumns, historyColumns } from './history-columns.js';
import { inputDataset, type ModelInput } from './inputs.js';
import {
  createOptimizer,
  DEFAULT_OPTIMIZER_CONFIG,
  getLearningRate,
  type OptimizerConfig,
  setLearningRate,
} from './optimizers.js';
import type { LearningRateSchedule } from './schedules.js';

/** The loss of one batch: scalars in nats (or squared-error units) per example, batch means. */
export interface LossTerms {
  /** What is minimised (training) or reported as the loss (evaluation). */
  total: Scalar;
  /** The reconstruction term, −log p(x|z) or the squared error. */
  reconstruction: Scalar;
  /** The KL term (VAE only; `null` for autoencoders). */
  kl: Scalar | null;
}

/** Rows [offset, offset + n) of a batch of `batchSize` examples, when a batch is split over workers. */
export interface BatchRows {
  offset: number;
  batchSize: number;
}

/** What {@link TrainableModel.loss} is told about the batch. */
export interface LossContext {
  /** Global optimizer step (for β warm-up). */
  step: number;
  /** The training objective (`true`) or the evaluation terms (`false`). */
  training: boolean;
  /**
   * When x is a shard of a larger batch (data-parallel training): where its rows sit in the batch. Random
   * draws (a VAE's ε) are made for the whole batch and sliced, so a split batch sees the same noise as a whole one.
   */
  rows?: BatchRows;
}

/** What the trainer needs from a model (implemented by `Autoencoder` and `Vae`). */
export interface TrainableModel {
  /** Features per example d = ∏ inputShape. */
  readonly inputSize: number;
  /** The variables the optimizer updates. */
  readonly trainableVariables: readonly Variable[];
  /**
   * The batch loss for x [batch, d]. `training: true`: the training objective at global step `step` (β,
   * warm-up and free bits applied); `false`: the evaluation terms (for a VAE the plain negative ELBO,
   * reconstruction + KL with β = 1).
   */
  loss(x: Tensor2D, context: LossContext): LossTerms;
  getWeights(): Record<string, Tensor>;
  setWeights(weights: Record<string, Tensor>): void;
}

/** The part of an `AbortSignal` the trainer reads (no DOM types needed). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** Options of {@link EarlyStoppingOptions}. */
export interface EarlyStoppingOptions {
  /** Epochs without an improvement larger than `minDelta` before stopping (integer ≥ 1). */
  patience: number;
  /** The smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping early (default true). */
  restoreBestWeights?: boolean;
}

/** The means over one pass of a data set. `kl` is null for autoencoders. */
export interface LossSummary {
  loss: number;
  reconstruction: number;
  kl: number | null;
}

/** Passed to `onBatchEnd` after every optimizer step. */
export interface BatchLog extends LossSummary {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Global step (0-based). */
  step: number;
  /** Fraction of the whole run done, in (0, 1]. */
  progress: number;
  learningRate: number;
}

/** Passed to `onEpochEnd` and collected in {@link TrainResult.history}. */
export interface EpochLog extends LossSummary {
  epoch: number;
  /** Means over the validation data (evaluation terms), when it was given. */
  validation: LossSummary | null;
  learningRate: number;
  seconds: number;
  samplesPerSecond: number;
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

/**
 * The trainer's progress: everything besides weights and optimizer needed to resume, at an epoch boundary
 * (`onEpochEnd`) or in the middle of an epoch (`TrainResult.state` of an aborted run).
 */
export interface TrainState {
  /** Epochs completed (the next epoch to run, or the one in progress when `batch` > 0). */
  epoch: number;
  /**
   * Batches of epoch `epoch` already taken (0, or absent, at an epoch boundary). Resuming skips them: the same
   * shuffled order goes on from the next batch.
   */
  batch?: number;
  /** The partial sums of epoch `epoch`'s training losses over its first `batch` batches (for its mean). */
  partial?: { rows: number; total: number; reconstruction: number; kl: number } | null;
  /** Optimizer steps taken so far. */
  step: number;
  /** The epoch logs so far. */
  history: EpochLog[];
  /** Early stopping: the best epoch (−1: none), its monitored loss and the epochs waited since. */
  bestEpoch: number;
  bestValue: number;
  wait: number;
  /** Rows pushed through `loss(·, { training: true })` and `{ training: false }` so far (the noise drawn). */
  trainRows: number;
  evalRows: number;
}

/** How a run ended. */
export interface TrainResult {
  /** One record per epoch (`onEpochEnd`'s logs). */
  history: EpochLog[];
  /** The same figures as Keras' `history.history`: one array per metric (`loss`, `val_loss`, ...). */
  historyColumns: HistoryColumns;
  stopReason: 'completed' | 'early-stopping' | 'aborted';
  /** Optimizer steps taken. */
  steps: number;
  /** The epoch with the lowest monitored loss (validation loss if given, else training loss), or −1. */
  bestEpoch: number;
  /** Where the run stopped: pass it as `initialState` (with the same weights and optimizer) to go on from there. */
  state: TrainState;
}

/**
 * A step produced a non-finite loss (NaN or ±∞: a learning rate far too large, or NaN/∞ in the data).
 * Training stopped and the weights were restored to those of the last step whose loss was finite.
 */
export class NonFiniteLossError extends LatentlabError {
  override name = 'NonFiniteLossError';
  /** Epoch and global step of the bad batch. */
  readonly epoch: number;
  readonly step: number;

  constructor(fn: string, epoch: number, step: number, found: string) {
    super(
      fn,
      `non-finite loss at epoch ${epoch}, step ${step}; the weights were restored to the last step with a finite loss`,
      'a finite loss',
      found,
    );
    this.epoch = epoch;
    this.step = step;
  }
}

/** Any {@link ModelInput} as a checked {@link Dataset} (a tensor is read back once); see inputs.ts. */
export function asDataset(fn: string, name: string, data: ModelInput): Dataset {
  return inputDataset(fn, name, data);
}

/**
 * The training set and the validation set of a run: `validationData`, or with `validationSplit` f the last
 * n − ⌊n·(1 − f)⌋ rows of `data` (views, no copy), the rest training. Both are checked against `d` features.
 */
export function trainingSets(
  fn: string,
  data: ModelInput,
  o: Pick<TrainOptions, 'validationData' | 'validationSplit'>,
  d: number,
): { trainSet: Dataset; validation: Dataset | null } {
  let trainSet = asDataset(fn, 'data', data);
  checkInputSize(fn, 'data', trainSet, d);
  let validation = o.validationData === undefined ? null : asDataset(fn, 'validationData', o.validationData);
  if (validation) checkInputSize(fn, 'validationData', validation, d);
  if (o.validationSplit !== undefined) {
    const n = trainSet.shape[0]!;
    const splitAt = Math.floor(n * (1 - o.validationSplit));
    if (splitAt < 1 || splitAt >= n) {
      throw new ValueError(
        fn,
        'validationSplit leaves no training or no validation rows',
        `1 ≤ ⌊n·(1 − validationSplit)⌋ < n (n = ${n})`,
        `${splitAt} training rows`,
      );
    }
    const part = (name: string, start: number, end: number) =>
      createDataset({
        name: `${trainSet.name}-${name}`,
        x: trainSet.x.subarray(start * d, end * d),
        shape: [end - start, ...trainSet.shape.slice(1)],
        labels: trainSet.labels?.subarray(start, end),
        classNames: trainSet.classNames,
        t: trainSet.t?.subarray(start, end),
      });
    validation = part('validation', splitAt, n);
    trainSet = part('train', 0, splitAt);
  }
  return { trainSet, validation };
}

export function checkInputSize(fn: string, name: string, data: Dataset, d: number): void {
  const size = data.shape.slice(1).reduce((a, b) => a * b, 1);
  if (size !== d || data.shape[0] === 0) {
    throw new ShapeError(
      fn,
      `${name} does not fit the model's input`,
      `[n ≥ 1, ...] with ${d} features per example`,
      formatShape(data.shape),
    );
  }
}

interface MacrotaskHosts {
  setImmediate?: (cb: () => void) => unknown;
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: null): void } };
  setTimeout(cb: () => void, ms: number): unknown;
}

/**
 * A macrotask turn for the event loop (I/O, timers, input, rendering) without a timer's clamp: `setImmediate` in
 * Node, a MessageChannel message in browsers and workers (as React's scheduler does), `setTimeout(0)` otherwise
 * (≥ 1 ms in Node, up to 4 ms in browsers: ≈ 3–5 % of training time at one turn every 20 ms).
 */
const nextMacrotask: () => Promise<void> = (() => {
  const host = globalThis as unknown as MacrotaskHosts;
  if (typeof host.setImmediate === 'function') {
    const setImmediate = host.setImmediate;
    return () => new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (typeof host.MessageChannel === 'function') {
    const channel = new host.MessageChannel();
    const waiting: Array<() => void> = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => host.setTimeout(resolve, 0));
})();

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

function checkTrainState(fn: string, s: TrainState, epochs: number): void {
  if (s === null || typeof s !== 'object' || !Array.isArray(s.history)) {
    throw new ValueError(fn, 'initialState is not a TrainState', '{ epoch, step, history, ... }', String(s));
  }
  checkInteger(fn, 'initialState.epoch', s.epoch, 0);
  if (s.epoch > epochs) {
    throw new ValueError(fn, 'initialState is past the end of the run', `epoch ≤ epochs (${epochs})`, String(s.epoch));
  }
  checkInteger(fn, 'initialState.step', s.step, 0);
  checkInteger(fn, 'initialState.batch', s.batch ?? 0, 0);
  if ((s.batch ?? 0) > 0 && s.epoch >= epochs) {
    throw new ValueError(
      fn,
      'initialState is inside an epoch past the run',
      `epoch < epochs (${epochs})`,
      String(s.epoch),
    );
  }
  checkInteger(fn, 'initialState.trainRows', s.trainRows, 0);
  checkInteger(fn, 'initialState.evalRows', s.evalRows, 0);
}

/** Where a run stopped inside an epoch: the epoch, the batches of it taken and their loss sums. */
export type StopPoint = Required<Pick<TrainState, 'epoch' | 'batch' | 'partial'>>;

/**
 * The bookkeeping of a run, shared by `train` and `trainInWorkers`: the epoch logs, the step and row counts, and
 * early stopping's best epoch — what a {@link TrainState} holds besides where inside an epoch the run is.
 * Early stopping: after an epoch, the monitored loss (validation loss if given, else training loss) improves
 * when it is below the best so far by more than `minDelta`; otherwise one more epoch is waited, and the run
 * stops once `patience` epochs were waited.
 */
export class RunBook {
  readonly history: EpochLog[];
  /** Optimizer steps taken. */
  step: number;
  bestEpoch: number;
  bestValue: number;
  wait: number;
  trainRows: number;
  evalRows: number;
  /** Epochs completed. */
  epoch: number;

  constructor(init?: TrainState) {
    this.history = init ? init.history.map((h) => ({ ...h })) : [];
    this.step = init?.step ?? 0;
    this.bestEpoch = init?.bestEpoch ?? -1;
    this.bestValue = init?.bestValue ?? Number.POSITIVE_INFINITY;
    this.wait = init?.wait ?? 0;
    this.trainRows = init?.trainRows ?? 0;
    this.evalRows = init?.evalRows ?? 0;
    this.epoch = init?.epoch ?? 0;
  }

  /**
   * Ends epoch `epoch`: evaluates `model` on the validation data (if any), logs the epoch's means and speed,
   * and updates early stopping. `keepWeights`: this epoch's weights are the best so far and are to be kept
   * (early stopping restores them); `stop`: patience ran out.
   */
  async endEpoch(
    fn: string,
    model: TrainableModel,
    o: TrainOptions,
    validation: Dataset | null,
    epoch: { index: number; rows: number; started: number; learningRate: number; losses: Accumulator },
  ): Promise<{ log: EpochLog; keepWeights: boolean; stop: boolean }> {
    const val = validation
      ? await evaluateModel(
          model,
          validation,
          { batchSize: Math.max(o.batchSize, 500), transform: o.transform ?? {} },
          fn,
        )
      : null;
    if (validation) this.evalRows += validation.shape[0]!;
    const seconds = (Date.now() - epoch.started) / 1000;
    const log: EpochLog = {
      epoch: epoch.index,
      ...epoch.losses.summary(),
      validation: val,
      learningRate: epoch.learningRate,
      seconds,
      samplesPerSecond: epoch.rows / Math.max(seconds, 1e-9),
    };
    this.history.push(log);
    this.epoch = epoch.index + 1;
    const monitored = val ? val.loss : log.loss;
    const es = o.earlyStopping;
    if (monitored < this.bestValue - (es?.minDelta ?? 0)) {
      this.bestValue = monitored;
      this.bestEpoch = epoch.index;
      this.wait = 0;
      return { log, keepWeights: es !== undefined && es.restoreBestWeights !== false, stop: false };
    }
    if (es) this.wait++;
    return { log, keepWeights: false, stop: es !== undefined && this.wait >= es.patience };
  }

  /** The state to resume from: at the end of the epochs completed, or inside epoch `at.epoch` when given. */
  state(at?: StopPoint | null): TrainState {
    return {
      epoch: at?.epoch ?? this.epoch,
      batch: at?.batch ?? 0,
      partial: at?.partial ?? null,
      step: this.step,
      history: this.history.map((h) => ({ ...h })),
      bestEpoch: this.bestEpoch,
      bestValue: this.bestValue,
      wait: this.wait,
      trainRows: this.trainRows,
      evalRows: this.evalRows,
    };
  }

  /** How the run ended: its history, steps, best epoch and the state to resume from (see {@link state}). */
  result(stopReason: TrainResult['stopReason'], stopped: StopPoint | null): TrainResult {
    return {
      history: this.history,
      historyColumns: historyColumns(this.history),
      stopReason,
      steps: this.step,
      bestEpoch: this.bestEpoch,
      state: this.state(stopped),
    };
  }

  /** The state `onEpochEnd` receives (an epoch boundary; no `batch` / `partial`). */
  epochEndState(): TrainState {
    const { batch: _batch, partial: _partial, ...state } = this.state();
    return state;
  }
}

/** Sums `[total, reconstruction, kl?]` weighted by batch size. */
export class Accumulator {
  n = 0;
  total = 0;
  reconstruction = 0;
  kl = 0;
  hasKl = false;
  /** Starts from the sums of a partly done epoch. */
  static from(partial: TrainState['partial']): Accumulator {
    const acc = new Accumulator();
    if (partial) {
      acc.n = partial.rows;
      acc.total = partial.total;
      acc.reconstruction = partial.reconstruction;
      acc.kl = partial.kl; // hasKl is set again by the next add
    }
    return acc;
  }
  get sums(): NonNullable<TrainState['partial']> {
    return { rows: this.n, total: this.total, reconstruction: this.reconstruction, kl: this.kl };
  }
  add(values: ArrayLike<number>, size: number, hasKl: boolean): void {
    this.n += size;
    this.total += values[0]! * size;
    this.reconstruction += values[1]! * size;
    if (hasKl) this.kl += values[2]! * size;
    this.hasKl = hasKl;
  }
  summary(): LossSummary {
    return {
      loss: this.total / this.n,
      reconstruction: this.reconstruction / this.n,
      kl: this.hasKl ? this.kl / this.n : null,
    };
  }
}

/** Options of {@link evaluateModel} (and of the models' `evaluate`). */
export interface EvaluateModelOptions {
  /** Examples per evaluation batch (default 1000). */
  batchSize?: number;
  /** How stored values become batch values (bytes scaled by 1/255 by default). */
  transform?: TransformOptions;
}

/**
 * Mean evaluation loss of `model` over `data` (`training: false` terms, no gradients), batch by batch.
 *
 * @example
 * const { loss, reconstruction, kl } = await evaluateModel(vae, testSet, { batchSize: 1000 });
 */
export async function evaluateModel(
  model: TrainableModel,
  data: ModelInput,
  options: EvaluateModelOptions = {},
  fn = 'evaluateModel',
): Promise<LossSummary> {
  checkKeys(fn, 'options', options, ['batchSize', 'transform']);
  const { batchSize = 1000, transform = {} } = options;
  checkKeys(fn, 'options.transform', transform, TRANSFORM_KEYS);
  const ds = asDataset(fn, 'data', data);
  checkInputSize(fn, 'data', ds, model.inputSize);
  checkInteger(fn, 'batchSize', batchSize, 1);
  const acc = new Accumulator();
  for (const batch of batches(ds, { ...transform, batchSize, shuffle: false })) {
    const values = tidy(() => {
      const t = model.loss(batch.x as Tensor2D, { step: 0, training: false });
      return stack(t.kl ? [t.total, t.reconstruction, t.kl] : [t.total, t.reconstruction]);
    });
    const size = batch.x.shape[0];
    dispose(batch);
    const read = await values.data();
    values.dispose();
    acc.add(read, size, read.length === 3);
  }
  return acc.summary();
}

/**
 * Trains `model` by mini-batch gradient descent on its `loss` (Adam by default):
 *
 *     for each epoch e, for each batch B (order shuffled from (seed, e)):  θ ← optimizerStep(θ, ∇θ loss(B))
 *
 * After each epoch the validation data, if any, is evaluated (reconstruction and KL reported apart), early
 * stopping keeps the best weights so far (monitoring the validation loss, else the training loss), the
 * `onEpochEnd` callback runs, and training stops once `patience` epochs passed without improvement. Every step reads the loss back (one download of
 * three scalars): a non-finite value stops training with a {@link NonFiniteLossError} after restoring the
 * weights of the last step whose loss was finite (the weights that step started from). The event loop gets
 * a macrotask turn every `yieldEveryMs`, so a page stays responsive. Options are checked before any step
 * (typed errors naming `fn`). The number of live tensors is the same after every step. `onEpochEnd` receives
 * the {@link TrainState} to checkpoint; `initialState` resumes from one at that epoch boundary.
 *
 * @example
 * const controller = new AbortController();
 * const { history } = await train(vae, trainSet, {
 *   epochs: 10, batchSize: 128, validationData: testSet, signal: controller.signal,
 *   onEpochEnd: (log) => console.log(log.epoch, log.validation?.loss),
 * });
 */
export async function train(
  model: TrainableModel,
  data: ModelInput,
  options: Partial<TrainOptions> = {},
  fn = 'train',
): Promise<TrainResult & { optimizer: Optimizer; createdOptimizer: boolean }> {
  const o = resolveOptions(fn, options);
  const { trainSet, validation } = trainingSets(fn, data, o, model.inputSize);
  batches(trainSet, { ...o.transform, batchSize: o.batchSize }); // checks the transform options (makes no tensor)
  const owned = !(o.optimizer instanceof Optimizer);
  const optimizer = owned ? createOptimizer(o.optimizer as OptimizerConfig) : (o.optimizer as Optimizer);
  const n = trainSet.shape[0]!;
  const perEpoch = Math.ceil(n / o.batchSize);
  const scheduled = (step: number, epoch: number) => {
    const lr = o.learningRateSchedule ? o.learningRateSchedule(step, epoch) : getLearningRate(optimizer);
    return checkNumber(fn, 'learning rate (from the schedule)', lr, { min: 0 });
  };
  try {
    scheduled(0, 0);
  } catch (error) {
    if (owned) optimizer.dispose();
    throw error;
  }

  const vars = model.trainableVariables;
  let lastGood: Tensor[] = vars.map((v) => keep(clone(v))); // zero-copy: shares the data until v is reassigned
  let best: Tensor[] | null = null;
  const init = o.initialState;
  const book = new RunBook(init);
  let stopReason: TrainResult['stopReason'] = 'completed';
  let stopped: StopPoint | null = null; // mid-epoch abort
  let lastYield = Date.now();
  const restore = (from: Tensor[]) => {
    for (let i = 0; i < vars.length; i++) vars[i]!.assign(from[i]!);
  };
  try {
    epochs: for (let epoch = init?.epoch ?? 0; epoch < o.epochs; epoch++) {
      const started = Date.now();
      // A run resumed mid-epoch skips the batches already taken (drawn and dropped, so the data noise streams
      // stay in step) and continues the epoch's sums.
      const resumed = epoch === init?.epoch && (init.batch ?? 0) > 0;
      const skip = resumed ? init!.batch! : 0;
      const acc = resumed ? Accumulator.from(init!.partial) : new Accumulator();
      let batchIndex = 0;
      let learningRate = getLearningRate(optimizer);
      for (const batch of batches(trainSet, {
        ...o.transform,
        batchSize: o.batchSize,
        shuffle: o.shuffle,
        seed: o.seed,
        epoch,
      })) {
        if (batchIndex < skip) {
          dispose(batch);
          batchIndex++;
          continue;
        }
        if (o.signal?.aborted) {
          dispose(batch);
          stopReason = 'aborted';
          stopped = { epoch, batch: batchIndex, partial: acc.sums };
          break epochs;
        }
        learningRate = scheduled(book.step, epoch);
        if (o.learningRateSchedule) setLearningRate(optimizer, learningRate);
        const x = batch.x as Tensor2D;
        let terms: Scalar[] = [];
        const { value, grads } = variableGrads(() => {
          const t = model.loss(x, { step: book.step, training: true });
          terms = [keep(t.reconstruction), ...(t.kl ? [keep(t.kl)] : [])];
          return t.total;
        }, vars as Variable[]);
        const packed = stack([value, ...terms]);
        const values = await packed.data();
        dispose([packed, value, ...terms, batch]);
        if (!Number.isFinite(values[0]!)) {
          dispose(grads);
          restore(lastGood);
          throw new NonFiniteLossError(fn, epoch, book.step, String(values[0]));
        }
        dispose(lastGood);
        lastGood = vars.map((v) => keep(clone(v)));
        optimizer.applyGradients(grads);
        dispose(grads);
        const size = x.shape[0];
        book.trainRows += size;
        acc.add(values, size, values.length === 3);
        const hasKl = values.length === 3;
        await o.onBatchEnd?.({
          epoch,
          batch: batchIndex,
          batches: perEpoch,
          step: book.step,
          progress: (epoch * perEpoch + batchIndex + 1) / (o.epochs * perEpoch),
          learningRate,
          loss: values[0]!,
          reconstruction: values[1]!,
          kl: hasKl ? values[2]! : null,
        });
        book.step++;
        batchIndex++;
        if (Date.now() - lastYield >= o.yieldEveryMs) {
          await nextMacrotask();
          lastYield = Date.now();
        }
      }
      const { log, keepWeights, stop } = await book.endEpoch(fn, model, o, validation, {
        index: epoch,
        rows: n,
        started,
        learningRate,
        losses: acc,
      });
      if (keepWeights) {
        // Early stopping: the best weights are kept as validated, before the callback runs.
        dispose(best ?? []);
        best = vars.map((v) => keep(clone(v)));
      }
      await o.onEpochEnd?.(log, book.epochEndState());
      if (stop) {
        if (best) restore(best);
        stopReason = 'early-stopping';
        break;
      }
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
    }
  } catch (error) {
    if (owned) optimizer.dispose();
    throw error;
  } finally {
    dispose(lastGood);
    dispose(best ?? []);
  }
  return { ...book.result(stopReason, stopped), optimizer, createdOptimizer: owned };
}
