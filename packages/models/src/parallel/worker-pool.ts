/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { CTRL, type WorkerInit, type WorkerMessage } from './protocol.js';
import { workerExecArgv, workerUrl } from './worker-script.js';
import { WorkerTrainingError } from './worker-training-error.js';

/**
 * The threads of a `trainInWorkers` run and their messages, taken in arrival order with {@link next}. A failure
 * anywhere (a worker's error message, a crash, a non-zero exit) sets the shared `failed` cell, wakes every
 * thread that waits, and makes `next` throw one {@link WorkerTrainingError}.
 *
 * @example
 * import { SharedState } from './shared-state.js';
 * const vae = new Vae({ latentDim: 2, hiddenUnits: [8] });
 * const shared = (await SharedState.create(vae.trainableVariables, 1, 1, null)).arrays; // 1 worker, 1 step an epoch
 * shared.learningRates[0] = 1e-3;
 * const dataset = { name: 'rows', shape: [4, 784], x: new Float32Array(new SharedArrayBuffer(4 * 784 * 4)) };
 * const inits = [{ index: 0, workers: 1, backend: 'cpu', model: { kind: 'Vae', config: structuredClone(vae.config) },
 *   trainNoise: vae.noiseState.train, dataset, transform: {}, epochs: 1, batchSize: 4, shuffle: false, seed: 0,
 *   startEpoch: 0, startBatch: 0, startStep: 0, startIterations: 0, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, update: 'auto' },
 *   shared }]; // one WorkerInit per thread, as trainInWorkers builds them
 * const pool = new WorkerPool('trainInWorkers', inits, shared.control);
 * await pool.ready();
 * pool.startEpoch(0);
 * const message = await pool.next(); // { type: 'batch', epoch: 0, batch: 0, ... }, then { type: 'epoch', ... }
 * await pool.close(1);
 */
export class WorkerPool {
  readonly #fn: string;
  readonly #control: Int32Array;
  readonly #threads: Worker[] = [];
  readonly #inbox: WorkerMessage[] = [];
  #wake: (() => void) | null = null;
  #failure: WorkerTrainingError | null = null;

  constructor(fn: string, inits: readonly WorkerInit[], control: Int32Array) {
    this.#fn = fn;
    this.#control = control;
    const url = workerUrl(fn);
    for (const workerData of inits) {
      const index = workerData.index;
      const thread = new Worker(url, { workerData, execArgv: workerExecArgv() });
      thread.on('message', (message: WorkerMessage) => {
        if (message.type === 'error') this.#fail(`worker ${message.index} failed`, message.message);
        else this.#inbox.push(message);
        this.#wake?.();
      });
      thread.on('error', (error) => this.#fail(`worker ${index} crashed`, error.message));
      thread.on('exit', (code) => {
        if (code !== 0) this.#fail(`worker ${index} exited with code ${code}`, String(code));
      });
      this.#threads.push(thread);
    }
  }

  /** The error that stopped the run, if a thread failed. */
  get failure(): WorkerTrainingError | null {
    return this.#failure;
  }

  /** The next message (in arrival order); throws the failure once a thread failed. */
  async next(): Promise<WorkerMessage> {
    while (this.#inbox.length === 0) {
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
    return this.#inbox.shift()!;
  }

  /** Waits until every worker has loaded its backend and model. */
  async ready(): Promise<void> {
    for (let ready = 0; ready < this.#threads.length; ) if ((await this.next()).type === 'ready') ready++;
  }

  /** Lets the workers start epoch `epoch`. */
  startEpoch(epoch: number): void {
    Atomics.store(this.#control, CTRL.epochGo, epoch + 1);
    Atomics.notify(this.#control, CTRL.epochGo);
  }

  /** Tells the workers to stop before their next step. */
  abort(): void {
    Atomics.store(this.#control, CTRL.abort, 1);
  }

  /** Ends the run: the workers leave (past the last epoch `epochs - 1`) and are terminated. */
  async close(epochs: number): Promise<void> {
    Atomics.store(this.#control, CTRL.finish, 1);
    this.startEpoch(epochs);
    await Promise.all(this.#threads.map((t) => t.terminate()));
  }

  #fail(message: string, found: string): void {
    this.#failure ??= new WorkerTrainingError(this.#fn, message, 'workers that train to the end', found);
    Atomics.store(this.#control, CTRL.failed, 1);
    Atomics.notify(this.#control, CTRL.generation);
    Atomics.notify(this.#control, CTRL.epochGo);
    this.#wake?.();
  }
}
