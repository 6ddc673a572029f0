// The error a run stops with when a step's loss is NaN or ±∞ (after restoring the last finite step's weights).
import { LatentlabError } from '@latentlab/core';

/**
 * A step produced a non-finite loss (NaN or ±∞: a learning rate far too large, or NaN/∞ in the data).
 * Training stopped and the weights were restored to those of the last step whose loss was finite.
 */
export class NonFiniteLossError extends LatentlabError {
  override name = 'NonFiniteLossError';
  /** Epoch and global step of the bad batch. */
  readonly epoch: number;
  readonly step: number;

  constructor(fn: string, epoch: number, step: number, found: string) {
    super(
      fn,
      `non-finite loss at epoch ${epoch}, step ${step}; the weights were restored to the last step with a finite loss`,
      'a finite loss',
      found,
    );
    this.epoch = epoch;
    this.step = step;
  }
}
