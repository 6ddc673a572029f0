/**
 * What the page's progress line and messages say about a job: its step, epoch, losses (the mean of the last 20
 * steps' values, an epoch's last batch being small and one batch's loss noisy), test loss, KL weight and speed.
 *
 * @example
 * post({ type: 'progress', progress: progressOf(job, 'main', 'training') });
 * runLabel(job); // "VAE at step 158 (epoch 2/5)"
 */
import { klWarmup } from '@latentlab/core';
import { getBackend } from '@tensorflow/tfjs-core';
import { epochLabel } from '../epoch-label.js';
import { type BackendChoice, MODEL_SHORT, type Progress } from '../protocol.js';
import type { Job } from './job.js';

/** Mean of the last `k` finite values (the loss of one batch is noisy; an epoch's last batch is small). */
export function recentMean(values: number[], k = 20): number | null {
  const tail = values.slice(-k).filter(Number.isFinite);
  return tail.length ? tail.reduce((s, v) => s + v, 0) / tail.length : null;
}

export function progressOf(job: Job, name: 'main' | 'compare', state: Progress['state']): Progress {
  return {
    job: name,
    model: job.kind,
    state,
    step: job.step,
    epoch: job.epoch,
    epochs: job.settings.epochs,
    stepsPerEpoch: job.stepsPerEpoch,
    loss: recentMean(job.history.total),
    reconstruction: recentMean(job.history.reconstruction),
    kl: recentMean(job.history.kl),
    testLoss: job.test?.loss ?? null,
    testEpoch: job.test?.epoch ?? null,
    klWeight:
      job.kind === 'vae'
        ? klWarmup(job.step, { warmupSteps: job.settings.klWarmupSteps, betaMax: job.settings.beta })
        : null,
    beta: job.settings.beta,
    klWarmupSteps: job.settings.klWarmupSteps,
    backend: getBackend() as BackendChoice,
    msPerStep: job.msPerStep(),
  };
}

/** "VAE at step 158 (epoch 2/5)", in the words of the progress line; "PCA (2 components, fitted)". */
export function runLabel(job: Job): string {
  if (job.kind === 'pca') return `PCA (${job.settings.latentDim} components, fitted)`;
  // A shipped or uploaded model, not trained in this page (importedJob marks it done at step 0).
  if (job.step === 0 && job.state === 'done') return `${MODEL_SHORT[job.kind]} (pretrained, not trained here)`;
  const at = epochLabel(job.epoch, job.settings.epochs, job.state === 'done');
  return `${MODEL_SHORT[job.kind]} at step ${job.step} (${at})`;
}
