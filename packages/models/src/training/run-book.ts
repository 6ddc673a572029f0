// The bookkeeping of a run shared by `train` and `trainInWorkers`: epoch logs, step and row counts, early stopping.
import type { Dataset } from '@latentlab/data';
import { historyColumns } from '../history-columns.js';
import type { TrainableModel } from '../model-contract.js';
import type { Accumulator } from './accumulator.js';
import { evaluateModel } from './evaluate-model.js';
import type { EpochLog } from './logs.js';
import type { TrainOptions } from './options.js';
import type { StopPoint, TrainResult, TrainState } from './train-state.js';

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
    epoch: { index: number; rows: number; learningRate: number; losses: Accumulator },
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
    const seconds = epoch.losses.seconds; // validation included, and a resumed epoch's earlier part
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
