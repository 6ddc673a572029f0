// What a run reports as it goes: `BatchLog` after every optimizer step, `EpochLog` after every epoch (both the
// loss means of `LossSummary`, from the model contract, plus where the run is).
import type { LossSummary } from '../model-contract.js';

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
