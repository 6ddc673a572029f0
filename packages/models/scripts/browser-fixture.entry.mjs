// Runs inside headless Chromium (bundled and injected by make-browser-fixture.mjs): trains a small VAE on the
// WebGL backend, records x, μ = encode(x) and decode(μ) as computed there, and saves the model with its Adam
// state and training progress through tfjs's browserDownloads handler ('downloads://browser-vae'), which clicks two
// download links: browser-vae.json and browser-vae.weights.bin.
import '@tensorflow/tfjs-backend-webgl';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { saveModel } from '../src/io/save-load.ts';
import { createOptimizer } from '../src/optimizers.ts';
import { Vae } from '../src/vae.ts';

/** The model, data and training run of the fixture (written to browser-outputs.json too). */
const RUN = {
  config: { inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 13 },
  data: { n: 64, dim: 8, rank: 2, noise: 0.05, seed: 17 },
  optimizerConfig: { name: 'adam', learningRate: 1e-2 },
  epochs: 2,
  batchSize: 16,
};

async function make() {
  await tf.setBackend('webgl');
  await tf.ready();
  const backend = tf.getBackend();
  const webglVersion = tf.env().getNumber('WEBGL_VERSION');
  if (backend !== 'webgl' || webglVersion !== 2) {
    throw new Error(`browser fixture: expected WebGL2, found backend ${backend}, WEBGL_VERSION ${webglVersion}`);
  }
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
  // Four fixed inputs in [0, 1): x[r][i] = frac(0.137 · (8r + i) + 0.05 r).
  const rows = Array.from({ length: 4 }, (_, r) =>
    Array.from({ length: 8 }, (_, i) => (0.137 * (8 * r + i) + 0.05 * r) % 1),
  );
  const x = tf.tensor2d(rows);
  const mu = vae.encode(x);
  const decoded = vae.decode(mu);
  const outputs = {
    backend,
    webglVersion,
    userAgent: navigator.userAgent,
    tfjsVersion: tf.version_core,
    run: RUN,
    training,
    x: x.arraySync(),
    mu: mu.arraySync(),
    decodeMu: decoded.arraySync(),
  };
  tf.dispose([x, mu, decoded]);
  await saveModel(vae, 'downloads://browser-vae', { optimizer, optimizerConfig: RUN.optimizerConfig, training });
  optimizer.dispose();
  vae.dispose();
  return outputs;
}

globalThis.latentlabBrowserFixture = { make };
