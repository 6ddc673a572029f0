/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { CTRL, type WorkerInit, type WorkerMessage, type WorkerStart } from './protocol.js';
import { workerExecArgv, workerUrl } from './worker-script.js';
import { WorkerTrainingError } from './worker-training-error.js';

/**
 * The threads of a `trainInWorkers` run and their messages, taken in arrival order with {@link next}. The threads
 * start (and load their backend) when the pool is made; {@link run} gives them their run. A failure anywhere (a
 * worker's error message, a crash, a non-zero exit) sets the shared `failed` cell, wakes every thread that waits,
 * and makes `next` throw one {@link WorkerTrainingError}. Loaded threads waiting for a run do not keep Node alive.
 *
 * @example
 * import { SharedState } from './shared-state.js';
 * const vae = new Vae({ latentDim: 2, hiddenUnits: [8] });
 * const pool = new WorkerPool('trainInWorkers', 1, 'cpu'); // the thread starts loading now
 * const shared = (await SharedState.create(vae.trainableVariables, 1, 1, null)).arrays; // 1 worker, 1 step an epoch
 * shared.learningRates[0] = 1e-3;
 * const dataset = { name: 'rows', shape: [4, 784], x: new Float32Array(new SharedArrayBuffer(4 * 784 * 4)) };
 * pool.run({ workers: 1, model: { kind: 'Vae', config: structuredClone(vae.config) },
 *   trainNoise: vae.noiseState.train, dataset, transform: {}, epochs: 1, batchSize: 4, shuffle: false, seed: 0,
 *   startEpoch: 0, startBatch: 0, startStep: 0, startIterations: 0, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, update: 'auto' },
 *   shared }, shared.control); // the WorkerInit of the run, as trainInWorkers builds it
 * await pool.ready();
 * pool.startEpoch(0);
 * const message = await pool.next(); // { type: 'batch', epoch: 0, batch: 0, ... }, then { type: 'epoch', ... }
 * await pool.close();
 */
export class WorkerPool {
  readonly size: number;
  readonly backend: 'wasm' | 'cpu';
  readonly #fn: string;
  #control: Int32Array | null = null;
  readonly #threads: Worker[] = [];
  readonly #inbox: WorkerMessage[] = [];
  #wake: (() => void) | null = null;
  #failure: WorkerTrainingError | null = null;
  #closed = false;
  readonly #url: URL;
  readonly #sequential: boolean;
  #computing: number;
  #loading: number;
  readonly #loaded: Promise<void>;
  #settleLoaded: (failure?: WorkerTrainingError) => void = () => {};

  /**
   * Starts `size` threads on `backend`: all at once, or with `sequential` one after another, each once the one
   * before has loaded (one core at a time, for a caller that keeps computing meanwhile; run() starts any left).
   */
  constructor(fn: string, size: number, backend: 'wasm' | 'cpu', sequential = false) {
    this.#fn = fn;
    this.size = size;
    this.backend = backend;
    this.#sequential = sequential;
    this.#loading = size;
    this.#computing = size;
    this.#loaded = new Promise<void>((resolve, reject) => {
      this.#settleLoaded = (failure) => (failure ? reject(failure) : resolve());
    });
    this.#loaded.catch(() => {}); // a failure is also thrown by next(); nobody need wait for loaded()
    this.#url = workerUrl(fn);
    this.#spawn();
    if (!sequential) while (this.#threads.length < size) this.#spawn();
  }

  #spawn(): void {
    const index = this.#threads.length;
    const workerData: WorkerStart = { index, backend: this.backend };
    const thread = new Worker(this.#url, { workerData, execArgv: workerExecArgv() });
    thread.on('message', (message: WorkerMessage) => {
      if (message.type === 'error') this.#fail(`worker ${message.index} failed`, message.message);
      else if (message.type === 'loaded') this.#onLoaded();
      else this.#inbox.push(message);
      this.#wake?.();
    });
    thread.on('error', (error) => this.#fail(`worker ${index} crashed`, error.message));
    thread.on('exit', (code) => {
      if (code !== 0) this.#fail(`worker ${index} exited with code ${code}`, String(code));
    });
    this.#threads.push(thread);
  }

  #onLoaded(): void {
    if (--this.#loading > 0) {
      if (this.#sequential && !this.#closed && this.#threads.length < this.size) this.#spawn();
      return;
    }
    // Loaded and waiting for a run: a pool never used does not hold the process open (run() refs them).
    if (!this.#control) for (const t of this.#threads) t.unref();
    this.#settleLoaded();
  }

  /** The error that stopped the run, if a thread failed. */
  get failure(): WorkerTrainingError | null {
    return this.#failure;
  }

  /** Whether every thread has loaded its backend (a thread's failure leaves it false). */
  get isLoaded(): boolean {
    return this.#loading === 0 && this.#failure === null;
  }

  /** Resolves once every thread has loaded its backend; rejects with the failure if one failed first. */
  loaded(): Promise<void> {
    return this.#loaded;
  }

  /** Gives every thread the run, which then builds its model and says `ready`. */
  run(init: WorkerInit, control: Int32Array): void {
    this.#control = control;
    while (this.#threads.length < this.size) this.#spawn(); // those a sequential start has not started yet
    // Every worker waits while this cell holds its first epoch e, until startEpoch(e) stores e + 1 (a run resumed
    // at e ≥ 1 must not find 0 there and start before its learning rates and rows are written).
    Atomics.store(control, CTRL.epochGo, init.startEpoch);
    Atomics.store(control, CTRL.wanted, this.#computing);
    if (this.#failure) Atomics.store(control, CTRL.failed, 1);
    for (const thread of this.#threads) {
      thread.ref();
      thread.postMessage(init);
    }
  }

  /** How many threads compute each step (the first k; the others wait): from the run's next step on. */
  get computing(): number {
    return this.#computing;
  }

  set computing(k: number) {
    this.#computing = k;
    if (this.#control) Atomics.store(this.#control, CTRL.wanted, k);
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

  /** Waits until every worker has built its model for the run. */
  async ready(): Promise<void> {
    for (let ready = 0; ready < this.#threads.length; ) if ((await this.next()).type === 'ready') ready++;
  }

  /** Lets the workers start epoch `epoch`. */
  startEpoch(epoch: number): void {
    const control = this.#control!;
    Atomics.store(control, CTRL.epochGo, epoch + 1);
    Atomics.notify(control, CTRL.epochGo);
  }

  /** Tells the workers to stop before their next step. */
  abort(): void {
    if (this.#control) Atomics.store(this.#control, CTRL.abort, 1);
  }

  /** Ends the threads (once): those of a run are told to leave (woken by a go no epoch waits for), then terminated. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#control) {
      Atomics.store(this.#control, CTRL.finish, 1);
      this.startEpoch(-2);
    }
    await Promise.all(this.#threads.map((t) => t.terminate()));
  }

  #fail(message: string, found: string): void {
    this.#failure ??= new WorkerTrainingError(this.#fn, message, 'workers that train to the end', found);
    if (this.#control) {
      Atomics.store(this.#control, CTRL.failed, 1);
      Atomics.notify(this.#control, CTRL.generation);
      Atomics.notify(this.#control, CTRL.epochGo);
    }
    this.#settleLoaded(this.#failure);
    this.#wake?.();
  }
}
