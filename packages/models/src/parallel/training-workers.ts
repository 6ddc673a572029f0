/// <reference types="node" />
import { availableParallelism } from 'node:os';
import { checkInteger, checkOneOf, ValueError } from '@latentlab/core';
import { getBackend } from '@tensorflow/tfjs-core';
import { WorkerPool } from './worker-pool.js';

/** Options of {@link TrainingWorkers}. */
export interface TrainingWorkersOptions {
  /** Threads (default: the CPUs, at most 8). */
  workers?: number;
  /** Their backend (default: the calling thread's if it is 'wasm' or 'cpu', else 'wasm'). */
  backend?: 'wasm' | 'cpu';
  /**
   * Load the threads one after another, each once the one before has loaded (default false: all at once). Loading
   * takes a core per thread; a caller that keeps computing meanwhile (e.g. training its first steps on the calling
   * thread) leaves its own core alone this way, at the price of loading them later.
   */
  sequential?: boolean;
}

/** How `trainInWorkers` takes the threads of a {@link TrainingWorkers} (internal: not exported by the package). */
export const takePool = Symbol('takePool');

/**
 * Worker threads for `trainInWorkers`, started before the run: each loads tfjs and its backend (≈ 0.3–0.7 s)
 * while the calling thread does something else — loads the data, builds the model, or trains the run's first
 * steps — and then waits. Pass them as `trainInWorkers(model, data, { workers: threads })`: that run takes
 * them and ends them when it returns or throws; threads are used by one run only. Threads no run took are ended
 * with {@link close}; loaded and waiting, they do not keep Node alive.
 *
 * @example
 * import { trainInWorkers } from '@latentlab/models/node';
 * const threads = new TrainingWorkers({ workers: 2 }); // loading from now on
 * const trainSet = tf.randomUniform([16, 784]); // meanwhile: load the data (MNIST's in a real run), build the model
 * const vae = new Vae();
 * await trainInWorkers(vae, trainSet, { epochs: 1, workers: threads }); // takes the threads, and ends them
 */
export class TrainingWorkers {
  readonly workers: number;
  readonly backend: 'wasm' | 'cpu';
  readonly #pool: WorkerPool;
  #state: 'waiting' | 'taken' | 'closed' = 'waiting';

  constructor(options: TrainingWorkersOptions = {}) {
    const fn = 'TrainingWorkers';
    this.workers = checkInteger(fn, 'workers', options.workers ?? Math.min(8, availableParallelism()), 1);
    this.backend = workerBackend(fn, options.backend);
    this.#pool = new WorkerPool('trainInWorkers', this.workers, this.backend, options.sequential ?? false);
  }

  /** Resolves once every thread has loaded its backend; rejects with a `WorkerTrainingError` if one failed. */
  loaded(): Promise<void> {
    return this.#pool.loaded();
  }

  /** Whether every thread has loaded its backend (a thread's failure leaves it false). */
  get isLoaded(): boolean {
    return this.#pool.isLoaded;
  }

  /**
   * How many of the threads compute each step's gradient: the first k (1 ≤ k ≤ {@link workers}, default all).
   * The others draw the step's batch and noise and wait; the k split the batch's rows and θ's Adam update. Set
   * before or during the run (from the step the workers start next; each step's `onBatchEnd` log says how many
   * computed it), so the run can try several counts on the same threads without starting any — `--workers auto`
   * in the CLI. The run is the same up to float32 rounding whatever the count.
   *
   * @example
   * import { trainInWorkers } from '@latentlab/models/node';
   * const threads = new TrainingWorkers({ workers: 2 });
   * threads.computing = 1; // one thread computes the first steps
   * const counts: number[] = [];
   * await trainInWorkers(new Vae(), tf.randomUniform([64, 784]), {
   *   epochs: 1, batchSize: 8, workers: threads,
   *   onBatchEnd: (log) => {
   *     counts.push(log.workers);
   *     if (log.step === 1) threads.computing = 2;
   *   },
   * }); // counts: [1, 1, ..., 2]: both threads from a step after step 1 on
   */
  get computing(): number {
    return this.#pool.computing;
  }

  set computing(k: number) {
    const fn = 'TrainingWorkers.computing';
    checkInteger(fn, 'computing', k, 1);
    if (k > this.workers) throw new ValueError(fn, 'more than the threads', `at most ${this.workers}`, String(k));
    this.#pool.computing = k;
  }

  /** Whether a run has taken the threads, or they were closed. */
  get isUsed(): boolean {
    return this.#state !== 'waiting';
  }

  /** Ends the threads if no run took them (a run that took them ends them itself). */
  async close(): Promise<void> {
    if (this.#state !== 'waiting') return;
    this.#state = 'closed';
    await this.#pool.close();
  }

  /** The threads' pool, for the run `fn` (once: a `ValueError` for threads already used or closed). @internal */
  [takePool](fn: string): WorkerPool {
    if (this.#state !== 'waiting') {
      const found = this.#state === 'taken' ? 'threads an earlier run took' : 'closed threads';
      throw new ValueError(fn, 'worker threads serve one run', 'a TrainingWorkers no run has used', found);
    }
    this.#state = 'taken';
    return this.#pool;
  }
}

/** The backend of worker threads: `option`, or the calling thread's when it is 'wasm' or 'cpu', else 'wasm'. */
export function workerBackend(fn: string, option: 'wasm' | 'cpu' | undefined): 'wasm' | 'cpu' {
  const active = getBackend();
  const fallback = active === 'cpu' || active === 'wasm' ? active : 'wasm';
  return checkOneOf(fn, 'backend', option ?? fallback, ['wasm', 'cpu'] as const);
}
