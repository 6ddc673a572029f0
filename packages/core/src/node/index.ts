/**
 * @latentlab/core/node — file-system helpers that every Node entry of Latentlab shares (models' checkpoints, the
 * CLI's run files). Browser code never imports this subpath.
 */
export { removeStaleTemps, syncDirectory, writeFileAtomic } from './write-file-atomic.js';
