/**
 * `@latentlab/models`: PCA, autoencoders and VAEs on TensorFlow.js with one encode/decode API, one trainer,
 * evaluation and persistence. Platform-neutral; the file system, run files and worker training are in
 * `@latentlab/models/node`. Building blocks that are not part of the stable API (fast ops, the parameter
 * store, initialisers, the eigen-solver, CRC-32) are in `@latentlab/models/internal`.
 */
export { Autoencoder } from './autoencoder.js';
export {
  type AutoencoderConfig,
  DEFAULT_AUTOENCODER_CONFIG,
  DEFAULT_VAE_CONFIG,
  type NetworkConfig,
  resolveAutoencoderConfig,
  resolveVaeConfig,
  type VaeConfig,
} from './config.js';
export { NotFittedError } from './errors.js';
export {
  ACTIVE_UNIT_THRESHOLD,
  type EvaluateOptions,
  evaluateLatentModel,
  gaussianKlToStandard,
  type LatentMetrics,
  type PcaMetrics,
  pcaMetrics,
  type VaeLogLikelihood,
  vaeLogLikelihood,
} from './evaluation/evaluate.js';
export { type HistoryColumns, historyColumns } from './history-columns.js';
export type { ArrayInput, DatasetInput, ModelInput } from './inputs.js';
export {
  FORMAT_VERSION,
  type LatentlabTopology,
  MAX_MODEL_JSON_BYTES,
  ModelFormatError,
  type ModelKind,
  type PcaState,
} from './io/format.js';
export {
  artifactsToModel,
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
  modelToArtifacts,
  type SavableModel,
  type SaveModelOptions,
  saveModel,
} from './io/save-load.js';
export { modelWeightShapes, type WeightShape } from './io/weight-shapes.js';
export { ACTIVATIONS, type Activation } from './layers/activation.js';
export { INITIALIZERS, type Initializer } from './layers/init.js';
export { LatentModel } from './model/latent-model.js';
export type { BatchRows, LossContext, LossSummary, LossTerms, TrainableModel } from './model-contract.js';
export type { FusedAdamUpdate } from './ops/fused-adam.js';
export {
  type AdamConfig,
  createOptimizer,
  DEFAULT_OPTIMIZER_CONFIG,
  getLearningRate,
  type OptimizerConfig,
  type RmsPropConfig,
  type SgdConfig,
  setLearningRate,
} from './optimizers.js';
export type { MatrixData, MatrixInput, PcaKernel } from './pca/matrix.js';
export {
  DEFAULT_PCA_CONFIG,
  type FittedParameters,
  Pca,
  type PcaConfig,
  type PcaFitOptions,
  type PcaParameters,
} from './pca/pca.js';
export {
  cosineDecay,
  exponentialDecay,
  type LearningRateSchedule,
  type StepDecayOptions,
  stepDecay,
} from './schedules.js';
export { type EvaluateModelOptions, evaluateModel } from './training/evaluate-model.js';
export type { BatchLog, EpochLog } from './training/logs.js';
export { NonFiniteLossError } from './training/non-finite-loss-error.js';
export {
  type AbortSignalLike,
  DEFAULT_TRAIN_OPTIONS,
  type EarlyStoppingOptions,
  type TrainOptions,
} from './training/options.js';
export { train } from './training/train.js';
export type { TrainResult, TrainState } from './training/train-state.js';
export { type DecoderReadout, interpolateLatents, type Posterior, Vae, type VaeNoiseState } from './vae.js';
