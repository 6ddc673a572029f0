// A model's mean evaluation loss over a data set, batch by batch, without gradients.
import { checkInteger, checkKeys } from '@latentlab/core';
import { batches, type TransformOptions } from '@latentlab/data';
import { dispose, stack, type Tensor2D, tidy } from '@tensorflow/tfjs-core';
import { inputDataset, type ModelInput } from '../inputs.js';
import type { LossSummary, TrainableModel } from '../model-contract.js';
import { Accumulator } from './accumulator.js';
import { checkInputSize } from './datasets.js';
import { TRANSFORM_KEYS } from './options.js';

/** Options of {@link evaluateModel} (and of the models' `evaluate`). */
export interface EvaluateModelOptions {
  /** Examples per evaluation batch (default 1000). */
  batchSize?: number;
  /** How stored values become batch values (bytes scaled by 1/255 by default). */
  transform?: TransformOptions;
}

/**
 * Mean evaluation loss of `model` over `data` (`training: false` terms, no gradients), batch by batch.
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * const testSet = tf.randomUniform([10, 784]); // MNIST's 10000 test rows in a real run
 * const { loss, reconstruction, kl } = await evaluateModel(vae, testSet, { batchSize: 4 }); // means over the 10 rows
 */
export async function evaluateModel(
  model: TrainableModel,
  data: ModelInput,
  options: EvaluateModelOptions = {},
  fn = 'evaluateModel',
): Promise<LossSummary> {
  checkKeys(fn, 'options', options, ['batchSize', 'transform']);
  const { batchSize = 1000, transform = {} } = options;
  checkKeys(fn, 'options.transform', transform, TRANSFORM_KEYS);
  const ds = await inputDataset(fn, 'data', data);
  checkInputSize(fn, 'data', ds, model.inputSize);
  checkInteger(fn, 'batchSize', batchSize, 1);
  const acc = new Accumulator();
  for (const batch of batches(ds, { ...transform, batchSize, shuffle: false })) {
    const values = tidy(() => {
      const t = model.loss(batch.x as Tensor2D, { step: 0, training: false });
      return stack(t.kl ? [t.total, t.reconstruction, t.kl] : [t.total, t.reconstruction]);
    });
    const size = batch.x.shape[0];
    dispose(batch);
    const read = await values.data();
    values.dispose();
    acc.add(read, size, read.length === 3);
  }
  return acc.summary();
}
