// The options of `saveModel` and of the models' `save` (what a checkpoint adds to the weights). Apart from
// save-load.ts because the models' `save` methods name this type while save-load.ts imports the model classes: kept
// there, it closed an import cycle model → save-load → model.
import type { Optimizer } from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../optimizers.js';
import type { TrainState } from '../training/train-state.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** The optimizer to checkpoint with its slots (Adam moments, iteration count, ...). */
  optimizer?: Optimizer | null;
  /** The config that built it (needed to rebuild it on load). */
  optimizerConfig?: OptimizerConfig | null;
  /** The trainer's progress at an epoch end (`onEpochEnd`'s second argument). */
  training?: TrainState | null;
}
