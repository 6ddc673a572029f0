// The training loop: `train(model, data, options)`, mini-batch gradient descent on a `TrainableModel`'s loss.
// Training needs tfjs-core's gradient functions, which tfjs-core alone does not register (see register-gradients.ts).
import '#register-gradients';
import { checkNumber } from '@latentlab/core';
import { batches } from '@latentlab/data';
import {
  clone,
  dispose,
  keep,
  Optimizer,
  type Scalar,
  stack,
  type Tensor,
  type Tensor2D,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type { ModelInput } from '../inputs.js';
import type { TrainableModel } from '../model-contract.js';
import { createOptimizer, getLearningRate, type OptimizerConfig, setLearningRate } from '../optimizers.js';
import { Accumulator } from './accumulator.js';
import { trainingSets } from './datasets.js';
import { nextMacrotask } from './next-macrotask.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { resolveOptions, type TrainOptions } from './options.js';
import { RunBook } from './run-book.js';
import type { StopPoint, TrainResult } from './train-state.js';

/**
 * Trains `model` by mini-batch gradient descent on its `loss` (Adam by default):
 *
 *     for each epoch e, for each batch B (order shuffled from (seed, e)):  θ ← optimizerStep(θ, ∇θ loss(B))
 *
 * After each epoch the validation data, if any, is evaluated (reconstruction and KL reported apart), early
 * stopping keeps the best weights so far (monitoring the validation loss, else the training loss), the
 * `onEpochEnd` callback runs, and training stops once `patience` epochs passed without improvement. Every step reads the loss back (one download of
 * three scalars): a non-finite value stops training with a {@link NonFiniteLossError} after restoring the
 * weights of the last step whose loss was finite (the weights that step started from). The event loop gets
 * a macrotask turn every `yieldEveryMs`, so a page stays responsive. Options are checked before any step
 * (typed errors naming `fn`). The number of live tensors is the same after every step. `onEpochEnd` receives
 * the {@link TrainState} to checkpoint; `initialState` resumes from one at that epoch boundary.
 *
 * @example
 * const [trainSet, testSet] = [tf.randomUniform([16, 784]), tf.randomUniform([4, 784])]; // MNIST's in a real run
 * const vae = new Vae({ latentDim: 2 });
 * const controller = new AbortController(); // controller.abort() stops it before the next step
 * const { history } = await train(vae, trainSet, {
 *   epochs: 1, batchSize: 8, validationData: testSet, signal: controller.signal,
 *   onEpochEnd: (log) => console.log(log.epoch, log.validation?.loss),
 * });
 */
export async function train(
  model: TrainableModel,
  data: ModelInput,
  options: Partial<TrainOptions> = {},
  fn = 'train',
): Promise<TrainResult & { optimizer: Optimizer; createdOptimizer: boolean }> {
  const o = resolveOptions(fn, options);
  const { trainSet, validation } = await trainingSets(fn, data, o, model.inputSize);
  batches(trainSet, { ...o.transform, batchSize: o.batchSize }); // checks the transform options (makes no tensor)
  const owned = !(o.optimizer instanceof Optimizer);
  const optimizer = owned ? createOptimizer(o.optimizer as OptimizerConfig) : (o.optimizer as Optimizer);
  const n = trainSet.shape[0]!;
  const perEpoch = Math.ceil(n / o.batchSize);
  const scheduled = (step: number, epoch: number) => {
    const lr = o.learningRateSchedule ? o.learningRateSchedule(step, epoch) : getLearningRate(optimizer);
    return checkNumber(fn, 'learning rate (from the schedule)', lr, { min: 0 });
  };
  try {
    scheduled(0, 0);
  } catch (error) {
    if (owned) optimizer.dispose();
    throw error;
  }

  const vars = model.trainableVariables;
  let lastGood: Tensor[] = vars.map((v) => keep(clone(v))); // zero-copy: shares the data until v is reassigned
  let best: Tensor[] | null = null;
  const init = o.initialState;
  const book = new RunBook(init);
  let stopReason: TrainResult['stopReason'] = 'completed';
  let stopped: StopPoint | null = null; // mid-epoch abort
  let lastYield = Date.now();
  const restore = (from: Tensor[]) => {
    for (let i = 0; i < vars.length; i++) vars[i]!.assign(from[i]!);
  };
  try {
    epochs: for (let epoch = init?.epoch ?? 0; epoch < o.epochs; epoch++) {
      // A run resumed mid-epoch skips the batches already taken (drawn and dropped, so the data noise streams
      // stay in step) and continues the epoch's sums and clock.
      const resumed = epoch === init?.epoch && (init.batch ?? 0) > 0;
      const skip = resumed ? init!.batch! : 0;
      const acc = resumed ? Accumulator.from(init!.partial) : new Accumulator();
      let batchIndex = 0;
      let learningRate = getLearningRate(optimizer);
      for (const batch of batches(trainSet, {
        ...o.transform,
        batchSize: o.batchSize,
        shuffle: o.shuffle,
        seed: o.seed,
        epoch,
      })) {
        if (batchIndex < skip) {
          dispose(batch);
          batchIndex++;
          continue;
        }
        if (o.signal?.aborted) {
          dispose(batch);
          stopReason = 'aborted';
          stopped = { epoch, batch: batchIndex, partial: acc.sums };
          break epochs;
        }
        learningRate = scheduled(book.step, epoch);
        if (o.learningRateSchedule) setLearningRate(optimizer, learningRate);
        const x = batch.x as Tensor2D;
        let terms: Scalar[] = [];
        const { value, grads } = variableGrads(() => {
          const t = model.loss(x, { step: book.step, training: true });
          terms = [keep(t.reconstruction), ...(t.kl ? [keep(t.kl)] : [])];
          return t.total;
        }, vars as Variable[]);
        const packed = stack([value, ...terms]);
        const values = await packed.data();
        dispose([packed, value, ...terms, batch]);
        if (!Number.isFinite(values[0]!)) {
          dispose(grads);
          restore(lastGood);
          throw new NonFiniteLossError(fn, epoch, book.step, String(values[0]));
        }
        dispose(lastGood);
        lastGood = vars.map((v) => keep(clone(v)));
        optimizer.applyGradients(grads);
        dispose(grads);
        const size = x.shape[0];
        book.trainRows += size;
        acc.add(values, size, values.length === 3);
        const hasKl = values.length === 3;
        await o.onBatchEnd?.({
          epoch,
          batch: batchIndex,
          batches: perEpoch,
          step: book.step,
          progress: (epoch * perEpoch + batchIndex + 1) / (o.epochs * perEpoch),
          learningRate,
          loss: values[0]!,
          reconstruction: values[1]!,
          kl: hasKl ? values[2]! : null,
        });
        book.step++;
        batchIndex++;
        if (Date.now() - lastYield >= o.yieldEveryMs) {
          await nextMacrotask();
          lastYield = Date.now();
        }
      }
      const { log, keepWeights, stop } = await book.endEpoch(fn, model, o, validation, {
        index: epoch,
        rows: n,
        learningRate,
        losses: acc,
      });
      if (keepWeights) {
        // Early stopping: the best weights are kept as validated, before the callback runs.
        dispose(best ?? []);
        best = vars.map((v) => keep(clone(v)));
      }
      await o.onEpochEnd?.(log, book.epochEndState());
      if (stop) {
        if (best) restore(best);
        stopReason = 'early-stopping';
        break;
      }
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
    }
  } catch (error) {
    if (owned) optimizer.dispose();
    throw error;
  } finally {
    dispose(lastGood);
    dispose(best ?? []);
  }
  return { ...book.result(stopReason, stopped), optimizer, createdOptimizer: owned };
}
