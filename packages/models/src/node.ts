/// <reference types="node" />
/**
 * Node-only additions of @latentlab/models: the file-system checkpoint handler (and its `file://` URLs), the run
 * directory's `run.json` helpers (`RunInfo`, `readRunInfo`, `writeRunInfo`) and `trainInWorkers`.
 *
 * @example
 * import { saveModel } from '@latentlab/models';
 * import { fileSystem } from '@latentlab/models/node';
 * const vae = new Vae({ latentDim: 2 });
 * await saveModel(vae, fileSystem('runs/vae'));
 */
import { registerFileSystemRouter } from './io/file-system.js';

export {
  type FileSystemOptions,
  fileSystem,
  fileSystemRouter,
  MODEL_JSON,
  registerFileSystemRouter,
} from './io/file-system.js';

registerFileSystemRouter();

export type { WorkerBatchLog, WorkerEpochReport, WorkerProfile } from './parallel/protocol.js';
export { trainInWorkers, WorkerTrainingError, type WorkerTrainOptions } from './parallel/train-in-workers.js';
export { TrainingWorkers, type TrainingWorkersOptions } from './parallel/training-workers.js';
export { RunFileError } from './run/run-file-error.js';
export {
  checkRunHistory,
  checkRunInfo,
  MAX_RUN_FILE_BYTES,
  RUN_JSON,
  RUN_MODELS,
  type RunInfo,
  type RunModelName,
  readRunInfo,
  writeRunInfo,
} from './run/run-info.js';
