import type { Autoencoder, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, hiddenFlag } from '../build-model.js';
import { EXIT } from '../exit-codes.js';
import { choiceFlag, intFlag, stringFlag, valueFlags } from '../flags.js';
import { featuresOf, loadDataset } from '../load-dataset.js';
import { checkTrainingMemory } from '../memory.js';
import { type CommandSpec, command } from '../prologue.js';

/** `latentlab bench`'s flags and arguments. */
const BENCH_COMMAND: CommandSpec = {
  name: 'bench',
  runDir: false,
  flags: valueFlags('model', 'dataset', 'limit', 'batch-size', 'latent', 'hidden'),
};

/** `latentlab bench`: training throughput (samples/s) of epoch 2 (epoch 1 warms up). */
export const bench = command(BENCH_COMMAND, async ({ values: v }, io) => {
  const kind = choiceFlag('model', v.model, ['vae', 'ae', 'linear-ae'] as const, 'vae');
  const dataset = stringFlag(v.dataset, 'mnist')!;
  const batchSize = intFlag('batch-size', v['batch-size'], 128);
  const latent = intFlag('latent', v.latent, 20);
  const hidden = hiddenFlag(v.hidden);
  const data = await loadDataset(dataset, 'train', intFlag('limit', v.limit, 10_000));
  const d = featuresOf(data);
  checkTrainingMemory(data.shape[0]!, d, hidden, latent, batchSize);
  const decoder = dataset.endsWith('.csv') ? 'gaussian' : 'bernoulli';
  const model = buildModel({ model: kind, inputSize: d, latent, hidden, beta: 1, seed: 0, decoder }) as
    | Vae
    | Autoencoder;
  try {
    // Epoch 1 warms up (kernel compilation, allocation); epoch 2 is measured.
    const { history } = await model.fit(data, { epochs: 2, batchSize, yieldEveryMs: 1000 });
    const last = history.at(-1)!;
    const result = {
      backend: tf.getBackend(),
      model: kind,
      examples: data.shape[0],
      batchSize,
      seconds: last.seconds,
      samplesPerSecond: last.samplesPerSecond,
    };
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
});
