/// <reference types="node" />
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkInteger, checkNumber, checkOneOf, LatentlabError, ValueError } from '@latentlab/core';
import { batchCount, type Dataset } from '@latentlab/data';
import { getBackend, Optimizer, scalar, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import { adoptOptimizer } from '../model/latent-model.js';
import { FusedAdam } from '../ops/fused-adam.js';
import { type AdamConfig, DEFAULT_OPTIMIZER_CONFIG, isFusedAdam, setLearningRate } from '../optimizers.js';
import { Accumulator } from '../training/accumulator.js';
import { trainingSets } from '../training/datasets.js';
import { NonFiniteLossError } from '../training/non-finite-loss-error.js';
import { resolveOptions, type TrainOptions } from '../training/options.js';
import { RunBook } from '../training/run-book.js';
import type { StopPoint, TrainResult, TrainState } from '../training/train-state.js';
import { Vae } from '../vae.js';
import {
  CTRL,
  type SharedArrays,
  STATS_PER_WORKER,
  sharedFloat32,
  type WorkerEpochReport,
  type WorkerInit,
  type WorkerMessage,
} from './protocol.js';

/** Options of {@link trainInWorkers}: {@link TrainOptions} plus the threads. */
export interface WorkerTrainOptions extends Partial<TrainOptions> {
  /** Worker threads, each computing the gradient of a share of every batch (default: the CPUs, at most 8). */
  workers?: number;
  /** The workers' backend (default: the main thread's if it is 'wasm' or 'cpu', else 'wasm'). */
  backend?: 'wasm' | 'cpu';
  /** After every epoch, one report per worker: where its time went and its live tensor count (for benchmarks). */
  onWorkerEpochEnd?: (epoch: number, reports: WorkerEpochReport[]) => void;
}

/** A worker thread of {@link trainInWorkers} failed (its backend did not load, it ran out of memory, ...). */
export class WorkerTrainingError extends LatentlabError {
  override name = 'WorkerTrainingError';
}

/**
 * The built worker next to this module, or — when running from source (the package's own tests) — the bundle of
 * the worker's sources that the test setup writes (`scripts/bundle-worker.mjs`), so the workers run the code
 * under test.
 */
function workerUrl(fn: string): URL {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const url = fromSource ? new URL('../../.cache/parallel-worker.js', here) : new URL('./worker.js', here);
  if (!existsSync(fileURLToPath(url))) {
    const expected = fromSource
      ? "the worker bundled from source ('node scripts/bundle-worker.mjs', run by the test setup)"
      : 'a built package (pnpm build)';
    throw new WorkerTrainingError(fn, 'the worker script is missing', expected, url.href);
  }
  return url;
}

/**
 * Trains a {@link Vae} or an {@link Autoencoder} with data parallelism over Node worker threads, for the
 * throughput of every core (tfjs-wasm is single-threaded in Node). Each of W workers holds a copy of the model
 * on its own backend; for every batch B of n rows, worker w computes the gradient of its rows' share of the
 * batch-mean loss, and the sum over workers is the batch's gradient:
 *
 *     ∇θ (1/n) Σ_{b∈B} ℓ_b = Σ_w (n_w/n) · ∇θ (1/n_w) Σ_{b∈B_w} ℓ_b
 *
 * then each worker applies Adam (FusedAdam's update, float64 arithmetic) to its slice of θ, which lives in
 * shared memory. A VAE's ε is drawn for the whole batch and split by rows, so the run is the one `train` would
 * make with the same seed, up to the order of float32 sums (tested: losses within 1e-5 relative). Same options
 * and results as `train` (`@latentlab/models`) — shuffling, schedules, validation (on the calling thread's backend), early
 * stopping, `AbortSignal`, the non-finite-loss guard, `onEpochEnd` with the {@link TrainState} to checkpoint —
 * and, like `fit`, the model's `optimizer` afterwards holds Adam's state (so `saveModel` can checkpoint and a
 * later run resume). `onBatchEnd` is called for every step in order but does not hold the workers up.
 *
 * Limits: Adam only (a config, or a `FusedAdam` (`@latentlab/models/internal`) whose state is continued); no free bits (their max over
 * the batch mean couples the rows of a batch). Node only; the workers run the built package (`dist/`).
 *
 * @example
 * import { trainInWorkers } from '@latentlab/models/node';
 * const vae = new Vae();
 * const { history } = await trainInWorkers(vae, mnist.train, { epochs: 10, workers: 2, validationData: mnist.test });
 */
export async function trainInWorkers(
  model: Vae | Autoencoder,
  data: Dataset | Tensor,
  options: WorkerTrainOptions = {},
): Promise<TrainResult> {
  const fn = 'trainInWorkers';
  if (!(model instanceof Vae || model instanceof Autoencoder)) {
    throw new ValueError(fn, 'the model cannot be trained in workers', 'a Vae or an Autoencoder', String(model));
  }
  if (model.isDisposed) throw new ValueError(fn, 'the model was disposed', 'a live model', 'a disposed model');
  const { workers: workersOption, backend: backendOption, onWorkerEpochEnd, ...trainOptions } = options;
  const o = resolveOptions(fn, trainOptions);
  const workers = checkInteger(fn, 'workers', workersOption ?? Math.min(8, availableParallelism()), 1);
  const active = getBackend();
  const backend = checkOneOf(
    fn,
    'backend',
    backendOption ?? (active === 'cpu' || active === 'wasm' ? active : 'wasm'),
    ['wasm', 'cpu'] as const,
  );
  if (model instanceof Vae && model.config.freeBits > 0) {
    throw new ValueError(
      fn,
      'free bits couple the rows of a batch (a max over the batch mean), so a batch cannot be split',
      'freeBits = 0 (or train with train / fit)',
      String(model.config.freeBits),
    );
  }
  const adam = adamOf(fn, o.optimizer);
  const { trainSet, validation } = trainingSets(fn, data, o, model.inputSize);
  const url = workerUrl(fn);

  const n = trainSet.shape[0]!;
  const perEpoch = batchCount(n, o.batchSize);
  const vars = model.trainableVariables;
  const P = vars.reduce((s, v) => s + v.size, 0);
  const shared: SharedArrays = {
    params: sharedFloat32(P),
    m: sharedFloat32(P),
    v: sharedFloat32(P),
    grads: sharedFloat32(workers * P),
    stats: new Float64Array(new SharedArrayBuffer((workers + 1) * STATS_PER_WORKER * 8)),
    learningRates: new Float64Array(new SharedArrayBuffer(perEpoch * 8)),
    control: new Int32Array(new SharedArrayBuffer(CTRL.size * 4)),
  };
  const offsets: number[] = [];
  let at = 0;
  for (const variable of vars) {
    offsets.push(at);
    shared.params.set(variable.dataSync(), at);
    at += variable.size;
  }
  // The optimizer: a given FusedAdam continues (its moments are loaded), a config starts from zero moments.
  const optimizer = adam.optimizer ?? new FusedAdam({ ...adam.config });
  const ownsOptimizer = adam.optimizer === null;
  const startIterations = optimizer.iterations;
  if (adam.optimizer) {
    const state = await adam.optimizer.getWeights();
    state[0]!.tensor.dispose(); // the iteration count getWeights made (read above as `iterations`)
    for (const { name, tensor: t } of state.slice(1)) {
      const cut = name.lastIndexOf('/');
      const i = vars.findIndex((v) => v.name === name.slice(0, cut));
      if (i < 0) continue;
      (name.slice(cut + 1) === 'm' ? shared.m : shared.v).set(t.dataSync(), offsets[i]!);
    }
  }
  const x = trainSet.x;
  const sharedX =
    x instanceof Uint8Array
      ? new Uint8Array(new SharedArrayBuffer(x.length))
      : new Float32Array(new SharedArrayBuffer(x.length * 4));
  sharedX.set(x);

  const init = o.initialState;
  const book = new RunBook(init);
  const startEpoch = book.epoch;
  const base: Omit<WorkerInit, 'index'> = {
    workers,
    backend,
    model:
      model instanceof Vae
        ? { kind: 'Vae', config: plain(model.config) }
        : { kind: 'Autoencoder', config: plain(model.config) },
    trainNoise: model instanceof Vae ? model.noiseState.train : null,
    dataset: { name: trainSet.name, shape: [...trainSet.shape], x: sharedX },
    transform: o.transform ?? {},
    epochs: o.epochs,
    batchSize: o.batchSize,
    shuffle: o.shuffle,
    seed: o.seed,
    startEpoch,
    startBatch: init?.batch ?? 0,
    startStep: book.step,
    startIterations,
    adam: { beta1: optimizer.config.beta1, beta2: optimizer.config.beta2, epsilon: optimizer.config.epsilon },
    shared,
  };

  // Messages arrive in a queue the run below takes from; a failure anywhere stops every worker.
  const threads: Worker[] = [];
  const inbox: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: WorkerTrainingError | null = null;
  const fail = (message: string, found: string) => {
    failure ??= new WorkerTrainingError(fn, message, 'workers that train to the end', found);
    Atomics.store(shared.control, CTRL.failed, 1);
    Atomics.notify(shared.control, CTRL.generation);
    Atomics.notify(shared.control, CTRL.epochGo);
    wake?.();
  };
  const next = async (): Promise<WorkerMessage> => {
    while (inbox.length === 0) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
    return inbox.shift()!;
  };
  for (let index = 0; index < workers; index++) {
    const thread = new Worker(url, { workerData: { ...base, index } satisfies WorkerInit, execArgv: workerExecArgv() });
    thread.on('message', (message: WorkerMessage) => {
      if (message.type === 'error') fail(`worker ${message.index} failed`, message.message);
      else inbox.push(message);
      wake?.();
    });
    thread.on('error', (error) => fail(`worker ${index} crashed`, error.message));
    thread.on('exit', (code) => {
      if (code !== 0) fail(`worker ${index} exited with code ${code}`, String(code));
    });
    threads.push(thread);
  }

  const copyParamsToModel = () => {
    for (let i = 0; i < vars.length; i++) {
      const values = tensor(shared.params.slice(offsets[i]!, offsets[i]! + vars[i]!.size), vars[i]!.shape);
      vars[i]!.assign(values);
      values.dispose();
    }
  };
  /** Adam's state into the FusedAdam (iterations, then `<variable>/m`, then `<variable>/v`). */
  const syncOptimizer = async (iterations: number) => {
    const named = [{ name: 'iter', tensor: scalar(iterations, 'int32') as Tensor }];
    for (const [suffix, store] of [
      ['m', shared.m],
      ['v', shared.v],
    ] as const) {
      vars.forEach((variable, i) => {
        const t = tensor(store.slice(offsets[i]!, offsets[i]! + variable.size), variable.shape);
        named.push({ name: `${variable.name}/${suffix}`, tensor: t });
      });
    }
    await optimizer.setWeights(named); // copies into its own variables
    for (const { tensor: t } of named) t.dispose();
  };

  let best: Float32Array | null = null;
  // Where a run aborted mid-epoch stopped (a run resumed mid-epoch is there until it takes its next step).
  let stopped: StopPoint | null = init?.batch
    ? { epoch: init.epoch, batch: init.batch, partial: init.partial ?? null }
    : null;
  let stopReason: TrainResult['stopReason'] = 'completed';
  let lastEpochParams = shared.params.slice();
  let callbacks: Promise<void> = Promise.resolve();
  // The signal is polled here (the workers check the flag before every step).
  const poll = setInterval(() => {
    if (o.signal?.aborted) Atomics.store(shared.control, CTRL.abort, 1);
  }, 10);
  try {
    for (let ready = 0; ready < workers; ) if ((await next()).type === 'ready') ready++;
    for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const started = Date.now();
      const firstStep = book.step;
      const current = optimizer.config.learningRate;
      for (let b = 0; b < perEpoch; b++) {
        const lr = o.learningRateSchedule ? o.learningRateSchedule(firstStep + b, epoch) : current;
        if (!(Number.isFinite(lr) && lr >= 0)) {
          throw new ValueError(fn, 'the learning rate schedule gave a bad value', 'a finite number ≥ 0', String(lr));
        }
        shared.learningRates[b] = lr;
      }
      const resumed = epoch === startEpoch && (init?.batch ?? 0) > 0;
      const skip = resumed ? init!.batch! : 0;
      const acc = resumed ? Accumulator.from(init!.partial) : new Accumulator();
      Atomics.store(shared.control, CTRL.epochGo, epoch + 1);
      Atomics.notify(shared.control, CTRL.epochGo);
      const ends: Array<Extract<WorkerMessage, { type: 'epoch' }>> = [];
      while (ends.length < workers) {
        const message = await next();
        if (o.signal?.aborted) Atomics.store(shared.control, CTRL.abort, 1); // also checked by the poll above
        if (message.type === 'epoch') ends.push(message);
        else if (message.type === 'batch') {
          acc.add(message.values, Math.min(o.batchSize, n - message.batch * o.batchSize), message.hasKl);
          const learningRate = shared.learningRates[message.batch]!;
          const log = {
            epoch,
            batch: message.batch,
            batches: perEpoch,
            step: message.step,
            progress: (epoch * perEpoch + message.batch + 1) / (o.epochs * perEpoch),
            learningRate,
            loss: message.values[0],
            reconstruction: message.values[1],
            kl: message.hasKl ? message.values[2] : null,
          };
          const onBatchEnd = o.onBatchEnd;
          if (onBatchEnd) callbacks = callbacks.then(() => onBatchEnd(log));
        }
      }
      await callbacks;
      ends.sort((a, b) => a.index - b.index);
      onWorkerEpochEnd?.(
        epoch,
        ends.map((e) => ({ index: e.index, milliseconds: e.milliseconds, numTensors: e.numTensors })),
      );
      const end = ends[0]!;
      book.step += end.steps;
      book.trainRows += Math.min(n, end.batches * o.batchSize) - Math.min(n, skip * o.batchSize);
      const noise = ends.find((e) => e.index === 0)!.trainNoise;
      if (model instanceof Vae && noise) model.noiseState = { ...model.noiseState, train: noise };
      copyParamsToModel();
      await syncOptimizer(startIterations + (book.step - base.startStep));
      if (o.learningRateSchedule && end.steps > 0) setLearningRate(optimizer, shared.learningRates[end.steps - 1]!);
      if (end.nonFinite) {
        throw new NonFiniteLossError(fn, epoch, end.nonFinite.step, String(end.nonFinite.value));
      }
      if (end.stopped === 'aborted') {
        stopReason = 'aborted';
        stopped = { epoch, batch: end.batches, partial: acc.sums };
        break;
      }
      lastEpochParams = shared.params.slice();
      const { log, keepWeights, stop } = await book.endEpoch(fn, model, o, validation, {
        index: epoch,
        rows: n,
        started,
        learningRate: shared.learningRates[perEpoch - 1]!,
        losses: acc,
      });
      if (keepWeights) best = shared.params.slice();
      stopped = null;
      await o.onEpochEnd?.(log, book.epochEndState());
      if (stop) {
        if (best) {
          shared.params.set(best);
          copyParamsToModel();
        }
        stopReason = 'early-stopping';
        break;
      }
    }
  } catch (error) {
    if (failure && error === failure) {
      // A worker died mid-run: θ in shared memory may be half updated; keep the last completed epoch's.
      shared.params.set(lastEpochParams);
      copyParamsToModel();
    }
    if (ownsOptimizer) optimizer.dispose(); // as `fit`: a failed run leaves no optimizer behind
    throw error;
  } finally {
    clearInterval(poll);
    Atomics.store(shared.control, CTRL.finish, 1);
    Atomics.store(shared.control, CTRL.epochGo, o.epochs + 1);
    Atomics.notify(shared.control, CTRL.epochGo);
    await Promise.all(threads.map((t) => t.terminate()));
  }
  model[adoptOptimizer](optimizer, ownsOptimizer);
  return book.result(stopReason, stopped);
}

/**
 * The parent's Node options minus custom export conditions: the workers run JavaScript (the built package or the
 * test setup's bundle), and a condition such as the workspace's `@latentlab/source` (set by test runners) would
 * point their imports at TypeScript.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--conditions' || a === '-C') i++;
    else if (!a.startsWith('--conditions=') && !a.startsWith('-C=')) out.push(a);
  }
  return out;
}

/** A structured-cloneable copy of a frozen config. */
function plain<T>(config: T): T {
  return JSON.parse(JSON.stringify(config)) as T;
}

/** The Adam settings of the run: a FusedAdam to continue, or a config. */
function adamOf(
  fn: string,
  optimizer: TrainOptions['optimizer'],
): { optimizer: FusedAdam | null; config: Required<Omit<AdamConfig, 'name' | 'update'>> } {
  if (optimizer instanceof Optimizer) {
    if (!isFusedAdam(optimizer)) {
      throw new ValueError(
        fn,
        'workers train with Adam only',
        "an { name: 'adam' } config or a FusedAdam",
        'another optimizer',
      );
    }
    return { optimizer, config: optimizer.config };
  }
  if (optimizer?.name !== 'adam') {
    throw new ValueError(fn, 'workers train with Adam only', "{ name: 'adam', ... }", String(optimizer?.name));
  }
  checkNumber(fn, 'optimizer.learningRate', optimizer.learningRate, { positive: true });
  const c = {
    ...DEFAULT_OPTIMIZER_CONFIG,
    ...Object.fromEntries(Object.entries(optimizer).filter(([, v]) => v !== undefined)),
  } as AdamConfig;
  const config = {
    learningRate: c.learningRate,
    beta1: c.beta1 ?? 0.9,
    beta2: c.beta2 ?? 0.999,
    epsilon: c.epsilon ?? 1e-8,
  };
  new FusedAdam(config).dispose(); // checks the numbers
  return { optimizer: null, config };
}
