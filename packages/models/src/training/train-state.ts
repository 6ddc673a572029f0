// A run's state and outcome: `TrainState` (everything besides weights and optimizer needed to resume, checked by
// `checkTrainState` when given back as `initialState`), `StopPoint` (where inside an epoch a run stopped) and
// `TrainResult` (how it ended).
import { checkInteger, ValueError } from '@latentlab/core';
import type { HistoryColumns } from '../history-columns.js';
import type { EpochLog } from './logs.js';

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
  /**
   * The partial sums of epoch `epoch`'s training losses over its first `batch` batches (for its mean), and the
   * seconds the epoch had run (for its log's `seconds` and `samplesPerSecond`; states saved by earlier versions
   * have none: 0).
   */
  partial?: { rows: number; total: number; reconstruction: number; kl: number; seconds?: number } | null;
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

/** Where a run stopped inside an epoch: the epoch, the batches of it taken and their loss sums. */
export type StopPoint = Required<Pick<TrainState, 'epoch' | 'batch' | 'partial'>>;

/** Checks a {@link TrainState} given as `initialState` for a run of `epochs` epochs. */
export function checkTrainState(fn: string, s: TrainState, epochs: number): void {
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
