/// <reference types="node" />
// A training worker of `trainInWorkers` (Node worker_threads). It loads its tfjs backend as soon as it starts, says
// so, and waits for its run (a `WorkerInit` message), so threads can start before the run is known
// (`TrainingWorkers`). Then it holds a copy of the model on that backend and, per step: meets the others at a
// barrier, where the step's count k of computing workers is fixed; if it is one of the first k, loads θ from shared
// memory and computes the gradient of its rows' share of the batch-mean loss; meets the others again; then, if
// computing, applies Adam to its slice (1/k) of the parameters using the sum of the k gradients.
import { parentPort, workerData } from 'node:worker_threads';
import { Rng, useBackend } from '@latentlab/core';
import { batches, createDataset, type Dataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import type { LatentModel } from '../model/latent-model.js';
import { adamStepScalars } from '../ops/adam-update.js';
import { Vae } from '../vae.js';
import {
  barrier,
  CTRL,
  DECISION,
  STATS_PER_WORKER,
  type WorkerInit,
  type WorkerMessage,
  type WorkerStart,
  waitWhile,
} from './protocol.js';
import { sliceAdam } from './slice-adam.js';

const start = workerData as WorkerStart;
const port = parentPort!;
/** The run's control cells, once its `WorkerInit` has come (a failure is flagged there). */
let runControl: Int32Array | null = null;
const post = (message: WorkerMessage) => port.postMessage(message);

/** Rows [lo, hi) of a batch of n that worker `index` of `workers` computes. */
function shardOf(n: number, index: number, workers: number): [number, number] {
  return [Math.floor((index * n) / workers), Math.floor(((index + 1) * n) / workers)];
}

/**
 * Moves a VAE's training noise past a batch of n rows, as a worker whose share of that batch is empty: a shard
 * draws ε for the whole batch and keeps its rows (vae.ts), so a worker that computed nothing must still draw n ×
 * latentDim values, or its noise runs a batch behind the others' and `train`'s from its next step on.
 */
function skipBatchNoise(vae: Vae, n: number): void {
  const rng = Rng.fromState(vae.noiseState.train);
  rng.normalArray(n * vae.latentDim);
  vae.noiseState = { ...vae.noiseState, train: rng.state };
}

async function main(): Promise<void> {
  await useBackend(start.backend);
  post({ type: 'loaded', index: start.index });
  const init = await new Promise<WorkerInit>((resolve) => port.once('message', resolve));
  const { index } = start;
  const { workers, shared } = init;
  const { params, grads, stats, learningRates, control } = shared;
  runControl = control;
  const model: LatentModel =
    init.model.kind === 'Vae' ? new Vae(init.model.config) : new Autoencoder(init.model.config);
  if (model instanceof Vae && init.trainNoise) model.noiseState = { ...model.noiseState, train: init.trainNoise };
  const vars = model.trainableVariables;
  const offsets: number[] = [];
  let size = 0;
  for (const variable of vars) {
    offsets.push(size);
    size += variable.size;
  }
  if (size !== params.length) throw new Error(`the worker's model has ${size} parameters, the run ${params.length}`);
  let dataset: Dataset | null = null; // made at the first epoch's go: the calling thread fills the rows meanwhile
  const d = model.inputSize;
  const P = params.length;
  const { beta1, beta2, epsilon } = init.adam;
  const aliasing = tf.getBackend() !== 'wasm';
  // With k workers computing, worker i < k sums their k gradients and updates its slice of θ (1/k of it).
  const adams = new Map<number, ReturnType<typeof sliceAdam>>();
  const adamOf = (k: number) => {
    let adam = adams.get(k);
    if (!adam) {
      adam = sliceAdam(shared, ...shardOf(P, index, k), init.adam.update === 'js' ? 'js' : 'simd', k);
      adams.set(k, adam);
    }
    return adam;
  };
  const adamKind = adamOf(workers).kind;
  post({ type: 'ready', index });

  let step = init.startStep;
  for (let epoch = init.startEpoch; epoch < init.epochs; epoch++) {
    waitWhile(control, CTRL.epochGo, epoch); // the main thread stores epoch + 1 (or sets finish)
    if (Atomics.load(control, CTRL.finish) !== 0) return;
    dataset ??= createDataset(init.dataset);
    let stopped: 'aborted' | 'non-finite' | null = null;
    let nonFinite: { step: number; value: number } | null = null;
    let batchIndex = 0;
    const time = { batch: 0, load: 0, compute: 0, read: 0, wait: 0, adam: 0 };
    let clock = performance.now();
    const lap = (part: keyof typeof time) => {
      const now = performance.now();
      time[part] += now - clock;
      clock = now;
    };
    const skip = epoch === init.startEpoch ? init.startBatch : 0;
    for (const batch of batches(dataset, {
      ...init.transform,
      batchSize: init.batchSize,
      shuffle: init.shuffle,
      seed: init.seed,
      epoch,
    })) {
      if (batchIndex < skip) {
        // Taken before the run was resumed: drawn and dropped, as `train` does.
        tf.dispose(batch);
        batchIndex++;
        continue;
      }
      lap('batch');
      barrier(control, workers, () => {
        const abort = Atomics.load(control, CTRL.abort) !== 0;
        Atomics.store(control, CTRL.decision, abort ? DECISION.aborted : DECISION.continue);
        Atomics.store(control, CTRL.computing, Atomics.load(control, CTRL.wanted)); // this step's count
      });
      if (Atomics.load(control, CTRL.decision) === DECISION.aborted) {
        tf.dispose(batch);
        stopped = 'aborted';
        break;
      }
      lap('wait');
      // The first k workers compute this step; the others only keep their batches and noise in step.
      const k = Atomics.load(control, CTRL.computing);
      const computes = index < k;
      // θ from shared memory: wasm copies a view into its heap; the cpu backend would keep (alias) the array, so
      // it gets a copy.
      if (computes) {
        tf.tidy(() => {
          for (let i = 0; i < vars.length; i++) {
            const variable = vars[i]!;
            const [from, to] = [offsets[i]!, offsets[i]! + variable.size];
            const values = aliasing ? params.slice(from, to) : params.subarray(from, to);
            variable.assign(tf.tensor(values, variable.shape));
          }
        });
      }
      lap('load');
      const n = batch.x.shape[0];
      const [r0, r1] = computes ? shardOf(n, index, k) : [0, 0];
      const base = index * STATS_PER_WORKER;
      if (r1 > r0) {
        // ∇ of (n_w/n)·mean_w = the gradient of this worker's rows' share of the batch mean.
        const { values, gradients } = tf.tidy(() => {
          const x = tf.slice(batch.x as tf.Tensor2D, [r0, 0], [r1 - r0, d]);
          let terms: tf.Scalar[] = [];
          const { value, grads: g } = tf.variableGrads(() => {
            const t = model.loss(x, { step, training: true, rows: { offset: r0, batchSize: n } });
            terms = [t.total, t.reconstruction, ...(t.kl ? [t.kl] : [])].map((term) => tf.keep(term));
            return tf.mul(t.total, (r1 - r0) / n) as tf.Scalar;
          }, vars as tf.Variable[]);
          const stacked = tf.stack(terms);
          tf.dispose([value, ...terms]);
          return { values: stacked, gradients: g };
        });
        lap('compute');
        const read = values.dataSync();
        stats.set([r1 - r0, read[0]!, read[1]!, read.length === 3 ? read[2]! : Number.NaN], base);
        for (let i = 0; i < vars.length; i++) {
          grads.set(gradients[vars[i]!.name]!.dataSync(), index * P + offsets[i]!);
        }
        tf.dispose([values, gradients]);
        lap('read');
      } else {
        stats.set([0, 0, 0, Number.NaN], base);
        if (computes) grads.fill(0, index * P, (index + 1) * P); // summed by the others' Adam
        if (model instanceof Vae) skipBatchNoise(model, n);
      }
      tf.dispose(batch);
      barrier(control, workers, () => {
        // The leader combines the shards: batch mean = Σ_w (n_w/n)·mean_w.
        const sums = [0, 0, 0];
        for (let w = 0; w < workers; w++) {
          const rows = stats[w * STATS_PER_WORKER]!;
          if (rows === 0) continue;
          for (let k = 0; k < 3; k++) sums[k]! += (rows / n) * stats[w * STATS_PER_WORKER + 1 + k]!;
        }
        stats.set([n, sums[0]!, sums[1]!, sums[2]!], workers * STATS_PER_WORKER);
        const finite = Number.isFinite(sums[0]!);
        Atomics.store(control, CTRL.decision, finite ? DECISION.continue : DECISION.nonFinite);
      });
      lap('wait');
      const total = stats[workers * STATS_PER_WORKER + 1]!;
      if (Atomics.load(control, CTRL.decision) === DECISION.nonFinite) {
        stopped = 'non-finite';
        nonFinite = { step, value: total };
        break;
      }
      // Adam on this worker's slice of θ with g = Σ_{w<k} g_w (slice-adam.ts: the sum, then FusedAdam's update, by
      // SIMD where it can).
      if (computes) {
        const t = init.startIterations + (step - init.startStep) + 1;
        adamOf(k).update(adamStepScalars({ learningRate: learningRates[batchIndex]!, beta1, beta2, epsilon }, t));
      }
      lap('adam');
      if (index === 0) {
        const at = workers * STATS_PER_WORKER;
        const hasKl = !Number.isNaN(stats[at + 3]!);
        post({
          type: 'batch',
          epoch,
          batch: batchIndex,
          step,
          values: [stats[at + 1]!, stats[at + 2]!, hasKl ? stats[at + 3]! : 0],
          hasKl,
          workers: k,
        });
      }
      step++;
      batchIndex++;
    }
    barrier(control, workers); // every slice of θ is updated before the main thread reads it
    post({
      type: 'epoch',
      index,
      epoch,
      steps: batchIndex - skip,
      batches: batchIndex,
      stopped,
      nonFinite,
      trainNoise: model instanceof Vae ? model.noiseState.train : null,
      numTensors: tf.memory().numTensors,
      adam: adamKind,
      milliseconds: time,
    });
    if (stopped) return;
  }
  model.dispose();
}

main().then(
  () => port.close(),
  (error: unknown) => {
    if (runControl) {
      Atomics.store(runControl, CTRL.failed, 1);
      Atomics.notify(runControl, CTRL.generation);
      Atomics.notify(runControl, CTRL.epochGo);
    }
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', index: start.index, message: e.message, stack: e.stack });
    port.close();
  },
);
