import { LatentlabError } from '@latentlab/core';

/** A model method that needs fitted parameters (`transform`, `components`, ...) was called before `fit`. */
export class NotFittedError extends LatentlabError {
  override name = 'NotFittedError';
}
