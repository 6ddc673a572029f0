/// <reference types="node" />
// What the main thread and the training workers of `trainInWorkers` share: the layout of the shared memory,
// the messages, and the barrier the workers meet at twice per step.

import type { RngState } from '@latentlab/core';
import type { TransformOptions } from '@latentlab/data';
import type { AutoencoderConfig, VaeConfig } from '../config.js';
import type { FusedAdamUpdate } from '../ops/fused-adam.js';
import type { WasmMemory } from '../ops/wasm/adam-module.js';
import type { BatchLog } from '../training/logs.js';

/** How a worker updates its slice of θ: one WebAssembly SIMD call (`'simd'`) or adam-update.ts's loop (`'js'`). */
export type SliceAdamKind = 'simd' | 'js';

/** Cells of the Int32 control array. */
export const CTRL = {
  /** Workers arrived at the current barrier. */
  count: 0,
  /** Barrier generation: bumped by the last worker to arrive, which releases the others. */
  generation: 1,
  /** Set to 1 by the main thread to stop before the next step (AbortSignal). */
  abort: 2,
  /** The leader's decision at the last barrier, one of {@link DECISION}. */
  decision: 3,
  /** The main thread lets epoch e start by storing e + 1 here (it holds the run's first epoch until then). */
  epochGo: 4,
  /** Set to 1 by the main thread: the run is over, workers leave. */
  finish: 5,
  /** Set to 1 when any thread failed: everyone stops waiting. */
  failed: 6,
  /** The main thread's wish: how many workers compute each step's gradient (`TrainingWorkers.computing`), at any time. */
  wanted: 7,
  /** The count that computes the current step: the leader of its first barrier copies `wanted` here. */
  computing: 8,
  size: 10,
} as const;

export const DECISION = { continue: 0, aborted: 1, nonFinite: 2 } as const;

/** Per-worker statistics of a step, Float64 [rows, total, reconstruction, kl] (shard means), then the batch's. */
export const STATS_PER_WORKER = 4;

/** What a thread is started with (`workerData`): its index and backend, all it needs to load before a run. */
export interface WorkerStart {
  index: number;
  backend: 'wasm' | 'cpu';
}

/** Everything the workers need for a run, the same for each (its index and backend are in its `WorkerStart`). */
export interface WorkerInit {
  workers: number;
  model: { kind: 'Vae'; config: VaeConfig } | { kind: 'Autoencoder'; config: AutoencoderConfig };
  /** Train noise position of the model (VAE), so every worker draws what one thread would. */
  trainNoise: RngState | null;
  dataset: { name: string; shape: number[]; x: Uint8Array | Float32Array };
  transform: TransformOptions;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** Where the run starts: epoch, global step, and the optimizer's iteration count. */
  startEpoch: number;
  /** Batches of `startEpoch` already taken (a run resumed mid-epoch skips them). */
  startBatch: number;
  startStep: number;
  startIterations: number;
  /** Adam's numbers, and `update: 'js'` for the JavaScript loop instead of the SIMD call (slice-adam.ts). */
  adam: { beta1: number; beta2: number; epsilon: number; update: FusedAdamUpdate };
  shared: SharedArrays;
}

/** The shared memory of a run (P = number of parameters, W = workers, S = batches per epoch). */
export interface SharedArrays {
  /**
   * The shared WebAssembly memory that holds `params`, `m`, `v` and `grads` back to back, so that a worker's Adam
   * runs on them in place (slice-adam.ts); null where the engine cannot make one (they are then plain
   * SharedArrayBuffers).
   */
  memory: WasmMemory | null;
  /** θ, the model's variables concatenated in `trainableVariables` order [P]. */
  params: Float32Array;
  /** Adam's moments [P] each. */
  m: Float32Array;
  v: Float32Array;
  /** Each worker's gradient of its share of the batch-mean loss [W·P]. */
  grads: Float32Array;
  /** Step statistics [(W + 1)·4]. */
  stats: Float64Array;
  /** Learning rate of every step of the current epoch [S]. */
  learningRates: Float64Array;
  control: Int32Array;
}

/**
 * Where a worker's time went during an epoch, in ms: building its batch (`batch`), waiting at the two barriers
 * of every step (`wait`), copying θ into its variables (`load`), forward + backward (`compute`), reading the
 * gradient back into shared memory (`read`), and Adam on its slice of θ (`adam`).
 */
export interface WorkerProfile {
  batch: number;
  wait: number;
  load: number;
  compute: number;
  read: number;
  adam: number;
}

/** What `trainInWorkers` passes to `onBatchEnd` after every step: `train`'s log, and how many workers computed it. */
export interface WorkerBatchLog extends BatchLog {
  /** The workers that computed the step's gradient (`TrainingWorkers.computing` when it ran; else all). */
  workers: number;
}

/** What `WorkerTrainOptions.onWorkerEpochEnd` gets for each worker after an epoch. */
export interface WorkerEpochReport {
  index: number;
  milliseconds: WorkerProfile;
  /** Live tensors on the worker's backend at the end of the epoch (constant from epoch to epoch: no leaks). */
  numTensors: number;
  /** How the worker updated its slice of θ: one WebAssembly SIMD call, or the JavaScript loop (`update: 'js'`). */
  adam: 'simd' | 'js';
}

/** Worker → main messages: `loaded` (backend ready, waiting for its run), `ready` (model built), then the run's. */
export type WorkerMessage =
  | { type: 'loaded'; index: number }
  | { type: 'ready'; index: number }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      step: number;
      values: [number, number, number];
      hasKl: boolean;
      /** The workers that computed the step's gradient (the first k of the run's). */
      workers: number;
    }
  | {
      type: 'epoch';
      index: number;
      epoch: number;
      /** Steps taken this epoch, and the batch position reached (steps + the batches skipped on resuming). */
      steps: number;
      batches: number;
      /** Why the epoch ended early (abort or a non-finite loss), or null. */
      stopped: 'aborted' | 'non-finite' | null;
      nonFinite: { step: number; value: number } | null;
      trainNoise: RngState | null;
      numTensors: number;
      adam: SliceAdamKind;
      /** Where the worker's time went this epoch, in ms (see {@link WorkerProfile}). */
      milliseconds: WorkerProfile;
    }
  | { type: 'error'; index: number; message: string; stack?: string };

/**
 * Waits until `control[cell]` differs from `value`, in slices of 200 ms, giving up when a thread failed.
 * (Blocking: for workers only.)
 */
export function waitWhile(control: Int32Array, cell: number, value: number): void {
  while (Atomics.load(control, cell) === value) {
    if (Atomics.load(control, CTRL.failed) !== 0) throw new Error('another thread of the run failed');
    Atomics.wait(control, cell, value, 200);
  }
}

/**
 * A reusable barrier for `workers` threads: each waits until all have arrived; the last to arrive runs `leader`
 * first (alone, while the others wait), so what it writes is seen by everyone after the barrier.
 */
export function barrier(control: Int32Array, workers: number, leader?: () => void): void {
  const generation = Atomics.load(control, CTRL.generation);
  if (Atomics.add(control, CTRL.count, 1) === workers - 1) {
    leader?.();
    Atomics.store(control, CTRL.count, 0);
    Atomics.add(control, CTRL.generation, 1);
    Atomics.notify(control, CTRL.generation);
    return;
  }
  waitWhile(control, CTRL.generation, generation);
}
