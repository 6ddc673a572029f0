/// <reference types="node" />
import { availableParallelism } from 'node:os';
import { checkInteger, ValueError } from '@latentlab/core';
import { batchCount, type Dataset } from '@latentlab/data';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import { adoptOptimizer } from '../model/latent-model.js';
import { FusedAdam } from '../ops/fused-adam.js';
import { setLearningRate } from '../optimizers.js';
import { Accumulator } from '../training/accumulator.js';
import { trainingSets } from '../training/datasets.js';
import { NonFiniteLossError } from '../training/non-finite-loss-error.js';
import { resolveOptions, type TrainOptions } from '../training/options.js';
import { RunBook } from '../training/run-book.js';
import type { StopPoint, TrainResult } from '../training/train-state.js';
import { Vae } from '../vae.js';
import type { WorkerBatchLog, WorkerEpochReport, WorkerInit } from './protocol.js';
import { SharedState, sharedRowsLike } from './shared-state.js';
import { TrainingWorkers, takePool, workerBackend } from './training-workers.js';
import { workerAdam } from './worker-adam.js';
import { planLearningRates, runWorkerEpoch } from './worker-epoch.js';
import { WorkerPool } from './worker-pool.js';

export { WorkerTrainingError } from './worker-training-error.js';

/** Options of {@link trainInWorkers}: {@link TrainOptions} plus the threads. */
export interface WorkerTrainOptions extends Partial<Omit<TrainOptions, 'onBatchEnd'>> {
  /** After every step, in step order (it does not hold the workers up): `train`'s log and the workers that computed it. */
  onBatchEnd?: (log: WorkerBatchLog) => void | Promise<void>;
  /**
   * Worker threads, each computing the gradient of a share of every batch (default: the CPUs, at most 8); or
   * threads started beforehand ({@link TrainingWorkers}), which the run takes and ends.
   */
  workers?: number | TrainingWorkers;
  /** The workers' backend (default: the given threads', else the main thread's if 'wasm' or 'cpu', else 'wasm'). */
  backend?: 'wasm' | 'cpu';
  /** After every epoch, one report per worker: where its time went and its live tensor count (for benchmarks). */
  onWorkerEpochEnd?: (epoch: number, reports: WorkerEpochReport[]) => void;
}

/**
 * Trains a {@link Vae} or an {@link Autoencoder} with data parallelism over Node worker threads, for the
 * throughput of every core (tfjs-wasm is single-threaded in Node). Each of W workers holds a copy of the model
 * on its own backend; for every batch B of n rows, worker w computes the gradient of its rows' share of the
 * batch-mean loss, and the sum over workers is the batch's gradient:
 *
 *     ∇θ (1/n) Σ_{b∈B} ℓ_b = Σ_w (n_w/n) · ∇θ (1/n_w) Σ_{b∈B_w} ℓ_b
 *
 * then each worker sums the gradients and applies Adam (FusedAdam's update) on its slice of θ, which lives in
 * shared memory: WebAssembly SIMD calls in float32 where the engine has them, else float64 loops. A VAE's ε is
 * drawn for the whole batch and split by rows, so the run is the one `train` would make with the same seed, up to
 * the order of float32 sums (tested: losses within 1e-5 relative). Same options and results as `train`
 * (`@latentlab/models`) — shuffling, schedules, validation (on the calling thread's backend), early stopping,
 * `AbortSignal`, the non-finite-loss guard, `onEpochEnd` with the `TrainState` to checkpoint —
 * and, like `fit`, the model's `optimizer` afterwards holds Adam's state (so `saveModel` can checkpoint and a
 * later run resume). `onBatchEnd` is called for every step in order but does not hold the workers up.
 *
 * The steps: check the model and options; put θ, Adam's moments and the rows in shared memory
 * (`SharedState`); start the threads (`WorkerPool`); per epoch, plan the learning rates and let the
 * workers run it (`runWorkerEpoch`), then copy θ and Adam's state back and end the epoch as `train` does
 * (validation, early stopping, `onEpochEnd`).
 *
 * Limits: Adam only (a config, or a `FusedAdam` (`@latentlab/models/internal`) whose state is continued); no free bits (their max over
 * the batch mean couples the rows of a batch). Node only; the workers run the built package (`dist/`).
 *
 * @example
 * import { trainInWorkers } from '@latentlab/models/node';
 * const [trainSet, testSet] = [tf.randomUniform([16, 784]), tf.randomUniform([4, 784])]; // MNIST's in a real run
 * const vae = new Vae();
 * const { history } = await trainInWorkers(vae, trainSet, { epochs: 1, workers: 2, validationData: testSet });
 */
export async function trainInWorkers(
  model: Vae | Autoencoder,
  data: Dataset | Tensor,
  options: WorkerTrainOptions = {},
): Promise<TrainResult> {
  const fn = 'trainInWorkers';
  if (!(options.workers instanceof TrainingWorkers)) return trainOn(fn, model, data, options, null);
  // Threads started beforehand are this run's from here on: ended whatever happens.
  const given = options.workers[takePool](fn);
  try {
    return await trainOn(fn, model, data, options, given);
  } finally {
    await given.close();
  }
}

/** trainInWorkers on `given` threads, or (null) on threads it starts itself. */
async function trainOn(
  fn: string,
  model: Vae | Autoencoder,
  data: Dataset | Tensor,
  options: WorkerTrainOptions,
  given: WorkerPool | null,
): Promise<TrainResult> {
  const { workers: workersOption, backend: backendOption, onWorkerEpochEnd, onBatchEnd, ...trainOptions } = options;
  checkModel(fn, model);
  // onBatchEnd is checked with the rest (a function); runWorkerEpoch calls it with the workers' logs.
  const o = resolveOptions(fn, { ...trainOptions, onBatchEnd: onBatchEnd as TrainOptions['onBatchEnd'] });
  const workers = given?.size ?? checkInteger(fn, 'workers', workersOption ?? Math.min(8, availableParallelism()), 1);
  const backend = workerBackend(fn, backendOption ?? given?.backend);
  if (given && backend !== given.backend) {
    throw new ValueError(fn, 'the given threads run another backend', `'${given.backend}' (theirs)`, `'${backend}'`);
  }
  const adam = workerAdam(fn, o.optimizer);
  const { trainSet, validation } = await trainingSets(fn, data, o, model.inputSize);

  const n = trainSet.shape[0]!;
  const perEpoch = batchCount(n, o.batchSize);
  const vars = model.trainableVariables;
  const state = await SharedState.create(vars, workers, perEpoch, adam.optimizer);
  const shared = state.arrays;
  // The optimizer: a given FusedAdam continues (its moments are loaded), a config starts from zero moments.
  const optimizer = adam.optimizer ?? new FusedAdam({ ...adam.config });
  const ownsOptimizer = adam.optimizer === null;
  const startIterations = optimizer.iterations;
  const init = o.initialState;
  const book = new RunBook(init);
  const startEpoch = book.epoch;
  const startStep = book.step;
  const rows = sharedRowsLike(trainSet.x); // filled below, while the threads start or build their models
  const run: WorkerInit = {
    workers,
    model:
      model instanceof Vae
        ? { kind: 'Vae', config: plain(model.config) }
        : { kind: 'Autoencoder', config: plain(model.config) },
    trainNoise: model instanceof Vae ? model.noiseState.train : null,
    dataset: { name: trainSet.name, shape: [...trainSet.shape], x: rows },
    transform: o.transform ?? {},
    epochs: o.epochs,
    batchSize: o.batchSize,
    shuffle: o.shuffle,
    seed: o.seed,
    startEpoch,
    startBatch: init?.batch ?? 0,
    startStep,
    startIterations,
    adam: {
      beta1: optimizer.config.beta1,
      beta2: optimizer.config.beta2,
      epsilon: optimizer.config.epsilon,
      update: optimizer.config.update,
    },
    shared,
  };
  let pool: WorkerPool;
  try {
    pool = given ?? new WorkerPool(fn, workers, backend);
  } catch (error) {
    if (ownsOptimizer) optimizer.dispose();
    throw error;
  }
  pool.run(run, shared.control);
  rows.set(trainSet.x); // before the first epoch's go (below): no worker reads a row earlier

  let best: Float32Array | null = null;
  // Where a run aborted mid-epoch stopped (a run resumed mid-epoch is there until it takes its next step).
  let stopped: StopPoint | null = init?.batch
    ? { epoch: init.epoch, batch: init.batch, partial: init.partial ?? null }
    : null;
  let stopReason: TrainResult['stopReason'] = 'completed';
  let lastEpochParams = state.snapshot();
  // The signal is polled here too (the workers check the flag before every step).
  const poll = setInterval(() => {
    if (o.signal?.aborted) pool.abort();
  }, 10);
  try {
    await pool.ready();
    for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const resumed = epoch === startEpoch && (init?.batch ?? 0) > 0;
      const plan = { epoch, firstStep: book.step, rows: n, perEpoch, learningRate: optimizer.config.learningRate };
      planLearningRates(fn, shared.learningRates, plan, o.learningRateSchedule);
      const skip = resumed ? init!.batch! : 0;
      const acc = resumed ? Accumulator.from(init!.partial) : new Accumulator();
      const ends = await runWorkerEpoch(pool, shared, plan, { ...o, onBatchEnd }, acc, workers);
      onWorkerEpochEnd?.(
        epoch,
        ends.map((e) => ({ index: e.index, milliseconds: e.milliseconds, numTensors: e.numTensors, adam: e.adam })),
      );
      const end = ends[0]!;
      book.step += end.steps;
      book.trainRows += Math.min(n, end.batches * o.batchSize) - Math.min(n, skip * o.batchSize);
      if (model instanceof Vae && end.trainNoise) model.noiseState = { ...model.noiseState, train: end.trainNoise };
      state.copyParamsToModel();
      await state.syncOptimizer(optimizer, startIterations + (book.step - startStep));
      if (o.learningRateSchedule && end.steps > 0) setLearningRate(optimizer, shared.learningRates[end.steps - 1]!);
      if (end.nonFinite) throw new NonFiniteLossError(fn, epoch, end.nonFinite.step, String(end.nonFinite.value));
      if (end.stopped === 'aborted') {
        stopReason = 'aborted';
        stopped = { epoch, batch: end.batches, partial: acc.sums };
        break;
      }
      lastEpochParams = state.snapshot();
      const { log, keepWeights, stop } = await book.endEpoch(fn, model, o, validation, {
        index: epoch,
        rows: n,
        learningRate: shared.learningRates[perEpoch - 1]!,
        losses: acc,
      });
      if (keepWeights) best = state.snapshot();
      stopped = null;
      await o.onEpochEnd?.(log, book.epochEndState());
      if (stop) {
        if (best) state.restore(best);
        stopReason = 'early-stopping';
        break;
      }
    }
  } catch (error) {
    // A worker died mid-run: θ in shared memory may be half updated; keep the last completed epoch's.
    if (pool.failure && error === pool.failure) state.restore(lastEpochParams);
    if (ownsOptimizer) optimizer.dispose(); // as `fit`: a failed run leaves no optimizer behind
    throw error;
  } finally {
    clearInterval(poll);
    await pool.close();
  }
  model[adoptOptimizer](optimizer, ownsOptimizer);
  return book.result(stopReason, stopped);
}

/** A live {@link Vae} (without free bits) or {@link Autoencoder}, or a `ValueError`. */
function checkModel(fn: string, model: Vae | Autoencoder): void {
  if (!(model instanceof Vae || model instanceof Autoencoder)) {
    throw new ValueError(fn, 'the model cannot be trained in workers', 'a Vae or an Autoencoder', String(model));
  }
  if (model.isDisposed) throw new ValueError(fn, 'the model was disposed', 'a live model', 'a disposed model');
  if (model instanceof Vae && model.config.freeBits > 0) {
    throw new ValueError(
      fn,
      'free bits couple the rows of a batch (a max over the batch mean), so a batch cannot be split',
      'freeBits = 0 (or train with train / fit)',
      String(model.config.freeBits),
    );
  }
}

/** A structured-cloneable copy of a frozen config. */
function plain<T>(config: T): T {
  return JSON.parse(JSON.stringify(config)) as T;
}
