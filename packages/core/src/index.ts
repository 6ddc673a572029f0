/**
 * @latentlab/core — the VAE math of Latentlab on `@tensorflow/tfjs-core`, backend-agnostic.
 * Every function here is written with tfjs-core ops and runs on whichever backend the caller registered.
 */

// Backend runtime: choose among the registered backends, report what is active, move state between them.
export { BACKEND_NAMES, type BackendName, isBackendName } from './backend-runtime.js';
// Reconstruction terms: −log p(x|z) per example.
export { bernoulliNll } from './bernoulli-nll.js';
// Input checks: unknown option keys (with the closest valid one suggested), ranks, shapes, numbers.
export { type CheckKeysOptions, checkKeys, closestName, editDistance } from './check-keys.js';
export {
  assertFiniteNumber,
  assertInteger,
  assertMinRank,
  assertRank,
  assertSameShape,
  type CheckError,
  checkInteger,
  checkIntegerList,
  checkNumber,
  checkOneOf,
} from './checks.js';
// Bytes read in pieces, joined.
export { concatBytes } from './concat-bytes.js';
// KL divergences and the objective.
export { type DecoderLikelihood, decoderNll } from './decoder-nll.js';
export {
  type BackendInfo,
  describeBackend,
  type WasmInfo,
  type WebglInfo,
  type WebgpuInfo,
} from './describe-backend.js';
export { diagonalGaussianKl } from './diagonal-gaussian-kl.js';
// Errors.
export { BackendError, formatShape, LatentlabError, ShapeError, ValueError } from './errors.js';
export { gaussianKl, gaussianKlPerDim } from './gaussian-kl.js';
export { gaussianNll, gaussianNllLogC, gaussianReconstructionLoss } from './gaussian-nll.js';
// Sampling, densities and the importance-weighted bound.
export {
  type ImportanceWeightedModel,
  type ImportanceWeightedOptions,
  type ImportanceWeightedResult,
  importanceWeightedLogLikelihood,
} from './importance-weighted.js';
export {
  type CyclicalKlOptions,
  cyclicalKlAnnealing,
  freeBits,
  type KlWarmupOptions,
  klWarmup,
} from './kl-schedule.js';
export { diagonalGaussianLogDensity, LOG_2PI, standardNormalLogDensity } from './log-density.js';
export { clampLogVar, LOG_VAR_RANGE } from './log-var.js';
export { DEFAULT_ELBO_OPTIONS, type ElboOptions, type ElboTerms, negativeElbo } from './negative-elbo.js';
export { createRng, Rng, type RngState } from './random.js';
export { reparameterize, sampleDiagonalGaussian } from './reparameterize.js';
export {
  type BackendFallback,
  type BackendSelection,
  DEFAULT_SELECT_BACKEND_OPTIONS,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
export { batchMean, meanSquaredError, sumSquaredError } from './squared-error.js';
export { type BackendState, switchBackend } from './switch-backend.js';
export { installCommand, type UseBackendName, type UseBackendOptions, useBackend } from './use-backend.js';
export { shareWasmIdentity } from './wasm-identity.js';
