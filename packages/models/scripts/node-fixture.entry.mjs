// Runs in plain Node (bundled by make-node-fixture.mjs): trains a small VAE on the cpu backend, records x,
// μ = encode(x) and decode(μ) as computed there, and saves the model with its Adam state and training progress
// through our file-system handler: model.json and weights.<id>.bin in the directory given to make().
import '@tensorflow/tfjs-backend-cpu';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { fileSystem } from '../src/io/file-system.ts';
import { saveModel } from '../src/io/save-load.ts';
import { createOptimizer } from '../src/optimizers.ts';
import { Vae } from '../src/vae.ts';

/** The model, data and training run of the fixture (written to node-outputs.json too). */
const RUN = {
  config: { inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 19 },
  data: { n: 64, dim: 8, rank: 2, noise: 0.05, seed: 23 },
  optimizerConfig: { name: 'adam', learningRate: 1e-2 },
  epochs: 2,
  batchSize: 16,
};

export async function make(dir) {
  await tf.setBackend('cpu');
  const { dataset } = noisyLinearSubspace(RUN.data);
  const vae = new Vae(RUN.config);
  const optimizer = createOptimizer(RUN.optimizerConfig);
  let training = null;
  await vae.fit(dataset, {
    epochs: RUN.epochs,
    batchSize: RUN.batchSize,
    optimizer,
    onEpochEnd: (_, state) => {
      training = state;
    },
  });
  // Four fixed inputs in [0, 1): x[r][i] = frac(0.113 · (8r + i) + 0.07 r).
  const rows = Array.from({ length: 4 }, (_, r) =>
    Array.from({ length: 8 }, (_, i) => (0.113 * (8 * r + i) + 0.07 * r) % 1),
  );
  const x = tf.tensor2d(rows);
  const mu = vae.encode(x);
  const decoded = vae.decode(mu);
  const outputs = {
    backend: tf.getBackend(),
    node: process.version,
    tfjsVersion: tf.version_core,
    run: RUN,
    training,
    x: x.arraySync(),
    mu: mu.arraySync(),
    decodeMu: decoded.arraySync(),
  };
  tf.dispose([x, mu, decoded]);
  await saveModel(vae, fileSystem(dir), { optimizer, optimizerConfig: RUN.optimizerConfig, training });
  optimizer.dispose();
  vae.dispose();
  return outputs;
}
