// TEMPORARY: @latentlab/models does not export these yet; switch to the package entry once it does.
export { Autoencoder } from '../../../../packages/models/src/autoencoder.js';
export { Vae } from '../../../../packages/models/src/vae.js';
export { train } from '../../../../packages/models/src/trainer.js';
