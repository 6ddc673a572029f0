// Tensor ops with hand-written gradients, fast on every backend (wasm above all): the building blocks of the models.
export { type DenseOptions, dense } from './dense.js';
export { denseRelu } from './dense-relu.js';
export { DEFAULT_FUSED_ADAM_CONFIG, FusedAdam, type FusedAdamConfig, type FusedAdamUpdate } from './fused-adam.js';
export { fusedBernoulliNll } from './fused-bernoulli-nll.js';
