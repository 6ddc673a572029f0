/**
 * `@latentlab/models/internal`: the building blocks the models are made of, for the Latentlab packages (cli,
 * interop, playground) and for experiments. **Unstable**: anything here may change or go in a minor release;
 * the root export `@latentlab/models` is the public API.
 */
export { MAX_CONV_TABLE_ENTRIES, MAX_NOISE_REPLAY_ROWS } from './io/check-checkpoint.js';
export { crc32 } from './io/crc32.js';
export { advanceVaeNoise } from './io/vae-noise.js';
export { initBias, initWeight } from './layers/init.js';
export { ParameterSet } from './model/parameter-set.js';
export * from './ops/index.js';
export { type SymmetricEigen, symmetricEigen } from './pca/eigen.js';
