import { LatentlabError } from '@latentlab/core';

/** A worker thread of `trainInWorkers` failed (its backend did not load, it ran out of memory, ...). */
export class WorkerTrainingError extends LatentlabError {
  override name = 'WorkerTrainingError';
}
