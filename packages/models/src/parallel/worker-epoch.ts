import { ValueError } from '@latentlab/core';
import type { Accumulator } from '../training/accumulator.js';
import type { TrainOptions } from '../training/options.js';
import type { SharedArrays, WorkerBatchLog, WorkerMessage } from './protocol.js';
import type { WorkerPool } from './worker-pool.js';

/** A worker's report at the end of an epoch. */
export type EpochEnd = Extract<WorkerMessage, { type: 'epoch' }>;

/** Where an epoch sits in the run: its index, its first global step, rows and batches, the learning rate now. */
export interface EpochPlan {
  epoch: number;
  firstStep: number;
  rows: number;
  perEpoch: number;
  learningRate: number;
}

/**
 * Writes the learning rate of every step of the epoch into shared memory: `schedule(firstStep + b, epoch)`, or the
 * optimizer's rate without a schedule. A bad value (not finite, or < 0) is a `ValueError` before any step.
 *
 * @example
 * const plan = { epoch: 1, firstStep: 3, rows: 24, perEpoch: 3, learningRate: 1e-3 }; // the second epoch of 3 steps
 * const learningRates = new Float64Array(plan.perEpoch); // shared.learningRates in a run
 * planLearningRates('trainInWorkers', learningRates, plan, (step) => 1e-3 * 0.99 ** step); // 1e-3 · 0.99^[3, 4, 5]
 */
export function planLearningRates(
  fn: string,
  learningRates: Float64Array,
  plan: EpochPlan,
  schedule: TrainOptions['learningRateSchedule'],
): void {
  for (let b = 0; b < plan.perEpoch; b++) {
    const lr = schedule ? schedule(plan.firstStep + b, plan.epoch) : plan.learningRate;
    if (!(Number.isFinite(lr) && lr >= 0)) {
      throw new ValueError(fn, 'the learning rate schedule gave a bad value', 'a finite number ≥ 0', String(lr));
    }
    learningRates[b] = lr;
  }
}

/**
 * Runs one epoch on the workers and waits for its end: every step's batch means go into `acc` and to
 * `onBatchEnd` (called in step order, chained so that it never holds the workers up; awaited before returning),
 * and the signal is forwarded to the workers as it is seen. Returns the workers' end-of-epoch reports, by index.
 */
export async function runWorkerEpoch(
  pool: WorkerPool,
  shared: SharedArrays,
  plan: EpochPlan,
  o: Pick<TrainOptions, 'batchSize' | 'epochs' | 'signal'> & {
    onBatchEnd?: ((log: WorkerBatchLog) => void | Promise<void>) | undefined;
  },
  acc: Accumulator,
  workers: number,
): Promise<EpochEnd[]> {
  const { epoch, perEpoch, rows } = plan;
  let callbacks: Promise<void> = Promise.resolve();
  pool.startEpoch(epoch);
  const ends: EpochEnd[] = [];
  while (ends.length < workers) {
    const message = await pool.next();
    if (o.signal?.aborted) pool.abort();
    if (message.type === 'epoch') ends.push(message);
    else if (message.type === 'batch') {
      acc.add(message.values, Math.min(o.batchSize, rows - message.batch * o.batchSize), message.hasKl);
      const log: WorkerBatchLog = {
        epoch,
        batch: message.batch,
        batches: perEpoch,
        step: message.step,
        progress: (epoch * perEpoch + message.batch + 1) / (o.epochs * perEpoch),
        learningRate: shared.learningRates[message.batch]!,
        loss: message.values[0],
        reconstruction: message.values[1],
        kl: message.hasKl ? message.values[2] : null,
        workers: message.workers,
      };
      const onBatchEnd = o.onBatchEnd;
      if (onBatchEnd) callbacks = callbacks.then(() => onBatchEnd(log));
    }
  }
  await callbacks;
  return ends.sort((a, b) => a.index - b.index);
}
