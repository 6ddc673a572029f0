/**
 * Moves models to another backend with their optimizer state. Each model's tensors are first read asynchronously,
 * which leaves a copy of their values on the CPU: the copies `moveTo` makes (and any tensor tfjs migrates on first
 * use) are then read from it, not with WebGPU's synchronous read, which can return zeros (see plots.ts). A PCA
 * needs no read: `Job.moveTo` rebuilds it from its float64 parameters. With no model, the backend is switched.
 *
 * @example
 * await moveModels([main, ...compareJobs], 'webgl'); // every model and its Adam moments now live on WebGL
 */
import { switchBackend } from '@latentlab/core';
import { Pca } from '@latentlab/models';
import type { BackendChoice } from '../protocol.js';
import type { Job } from './job.js';

export async function moveModels(jobs: Job[], name: BackendChoice): Promise<void> {
  if (jobs.length === 0) await switchBackend(name);
  for (const job of jobs) {
    const { model } = job;
    const tensors = model instanceof Pca ? [] : model.trainableVariables;
    // Adam's moments too; getWeights makes a fresh iteration count first, the others are the optimizer's own.
    const moments = job.optimizer ? await job.optimizer.getWeights() : [];
    await Promise.all([...tensors, ...moments.map((m) => m.tensor)].map((t) => t.data()));
    moments[0]?.tensor.dispose();
    await job.moveTo(name);
  }
}
