// Tensor ops with hand-written gradients, fast on every backend (wasm above all): the building blocks of the models.

/**
 * @deprecated core's `bernoulliNll` now has the closed-form gradient σ(l) − x this op introduced (one Bernoulli
 * log-likelihood for every model and evaluator); this name stays as an alias of it.
 */
export { bernoulliNll as fusedBernoulliNll } from '@latentlab/core';
export { type DenseOptions, dense } from './dense.js';
export { denseRelu } from './dense-relu.js';
export { DEFAULT_FUSED_ADAM_CONFIG, FusedAdam, type FusedAdamConfig, type FusedAdamUpdate } from './fused-adam.js';
