import { scalar, type Tensor, tensor, type Variable } from '@tensorflow/tfjs-core';
import type { FusedAdam } from '../ops/fused-adam.js';
import { type WasmMemory, wasmApi } from '../ops/wasm/adam-module.js';
import { CTRL, type SharedArrays, STATS_PER_WORKER } from './protocol.js';

/**
 * The shared memory of a `trainInWorkers` run and its two-way copy with the calling thread's model and optimizer:
 * θ and Adam's moments (m, v) as the model's variables concatenated in `trainableVariables` order (P values),
 * every worker's gradient [W·P], the step statistics, the learning rates of an epoch and the control cells.
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * const [perEpoch, adam] = [4, new FusedAdam({ learningRate: 1e-3 })]; // 4 steps an epoch
 * const state = await SharedState.create(vae.trainableVariables, 2, perEpoch, null); // 2 workers, fresh moments
 * // ... workers train on state.arrays ...
 * state.copyParamsToModel();
 * await state.syncOptimizer(adam, perEpoch); // adam.iterations is now 4
 */
export class SharedState {
  readonly arrays: SharedArrays;
  /** Where each variable starts in θ. */
  readonly offsets: number[];
  readonly #vars: readonly Variable[];

  private constructor(vars: readonly Variable[], arrays: SharedArrays, offsets: number[]) {
    this.#vars = vars;
    this.arrays = arrays;
    this.offsets = offsets;
  }

  /**
   * Allocates the shared arrays and loads θ from `vars` and, when continuing a {@link FusedAdam}, its moments
   * (a fresh run starts from zero moments).
   */
  static async create(
    vars: readonly Variable[],
    workers: number,
    perEpoch: number,
    continued: FusedAdam | null,
  ): Promise<SharedState> {
    const P = vars.reduce((s, v) => s + v.size, 0);
    const arrays: SharedArrays = {
      ...thetaMemory(P, workers),
      stats: new Float64Array(new SharedArrayBuffer((workers + 1) * STATS_PER_WORKER * 8)),
      learningRates: new Float64Array(new SharedArrayBuffer(perEpoch * 8)),
      control: new Int32Array(new SharedArrayBuffer(CTRL.size * 4)),
    };
    const offsets: number[] = [];
    let at = 0;
    for (const variable of vars) {
      offsets.push(at);
      arrays.params.set(variable.dataSync(), at);
      at += variable.size;
    }
    if (continued) {
      const state = await continued.getWeights();
      state[0]!.tensor.dispose(); // the iteration count (read as `iterations`)
      for (const { name, tensor: t } of state.slice(1)) {
        const cut = name.lastIndexOf('/');
        const i = vars.findIndex((v) => v.name === name.slice(0, cut));
        if (i >= 0) (name.slice(cut + 1) === 'm' ? arrays.m : arrays.v).set(t.dataSync(), offsets[i]!);
      }
    }
    return new SharedState(vars, arrays, offsets);
  }

  /** A copy of θ (to go back to after a failure, or to keep the best epoch's weights). */
  snapshot(): Float32Array {
    return this.arrays.params.slice();
  }

  /** θ ← `params` (a {@link snapshot}), in shared memory and in the model. */
  restore(params: Float32Array): void {
    this.arrays.params.set(params);
    this.copyParamsToModel();
  }

  /** The model's variables ← θ from shared memory. */
  copyParamsToModel(): void {
    const vars = this.#vars;
    for (let i = 0; i < vars.length; i++) {
      const values = tensor(this.#slice(this.arrays.params, i), vars[i]!.shape);
      vars[i]!.assign(values);
      values.dispose();
    }
  }

  /** Adam's state into `optimizer` (iterations, then `<variable>/m`, then `<variable>/v`; it copies them). */
  async syncOptimizer(optimizer: FusedAdam, iterations: number): Promise<void> {
    const named = [{ name: 'iter', tensor: scalar(iterations, 'int32') as Tensor }];
    for (const [suffix, store] of [
      ['m', this.arrays.m],
      ['v', this.arrays.v],
    ] as const) {
      this.#vars.forEach((variable, i) => {
        named.push({ name: `${variable.name}/${suffix}`, tensor: tensor(this.#slice(store, i), variable.shape) });
      });
    }
    try {
      await optimizer.setWeights(named);
    } finally {
      for (const { tensor: t } of named) t.dispose();
    }
  }

  #slice(store: Float32Array, i: number): Float32Array {
    return store.slice(this.offsets[i]!, this.offsets[i]! + this.#vars[i]!.size);
  }
}

/** WebAssembly's page, and wasm32's largest memory in pages (4 GiB). */
const [PAGE, MAX_PAGES] = [65536, 65536];

/**
 * θ, m, v (P floats each) and the W workers' gradients (W·P) back to back in one shared WebAssembly memory, so a
 * worker's Adam can run on them where they are; in a plain SharedArrayBuffer where the engine cannot make one (no
 * WebAssembly, or more than wasm32's 4 GiB).
 *
 * @example
 * const { memory, params, grads } = thetaMemory(10, 2); // params: floats [0, 10), grads: [30, 50)
 */
export function thetaMemory(
  P: number,
  workers: number,
): { memory: WasmMemory | null; params: Float32Array; m: Float32Array; v: Float32Array; grads: Float32Array } {
  const bytes = (3 + workers) * P * 4;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  let memory: WasmMemory | null = null;
  if (wasmApi && pages <= MAX_PAGES) {
    try {
      memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      memory = null; // the engine refused the allocation or shared memories: SharedArrayBuffers below
    }
  }
  const buffer = memory?.buffer ?? new SharedArrayBuffer(bytes);
  const view = (at: number, length: number) => new Float32Array(buffer, at * P * 4, length);
  return { memory, params: view(0, P), m: view(1, P), v: view(2, P), grads: view(3, workers * P) };
}

/**
 * A shared home for the training rows, of `x`'s type and length, still zero: the caller copies `x` in (`set`)
 * while the worker threads start, since the copy's first touch of fresh memory is slow on some hosts (≈ 130 ms
 * for MNIST's 47 MB on this project's test machine) and the workers read no row before the first step.
 */
export function sharedRowsLike(x: Uint8Array | Float32Array): Uint8Array | Float32Array {
  return x instanceof Uint8Array
    ? new Uint8Array(new SharedArrayBuffer(x.length))
    : new Float32Array(new SharedArrayBuffer(x.length * 4));
}
