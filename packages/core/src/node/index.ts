/**
 * @latentlab/core/node — file-system helpers that every Node entry of Latentlab shares (models' checkpoints, the
 * CLI's run files, data's and interop's readers). Browser code never imports this subpath.
 */
export {
  describeFileKind,
  openRegularFile,
  type RegularFileFailure,
  type RegularFileOptions,
  type RegularFileReason,
  readExactly,
} from './regular-file.js';
export { removeStaleTemps, syncDirectory, writeFileAtomic } from './write-file-atomic.js';
