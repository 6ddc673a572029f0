// Writes fixtures/tfjs-dense-vae and fixtures/tfjs-dense-ae: Keras-style Dense encoder / decoder models built with
// @tensorflow/tfjs-layers 4.22 (seeded initialisers), saved in tensorflowjs_converter's layout (model.json with
// modelTopology.model_config + weightsManifest, one weight shard group1-shard1of1.bin), and outputs.json: the
// inputs and what tfjs-layers' predict() returns for them on the cpu backend.
//
//     node packages/interop/scripts/make-tfjs-fixture.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await tf.setBackend('cpu');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const d = 16;
const hidden = 8;
const latent = 3;
let seed = 1;
const dense = (units, activation, name, extra = {}) =>
  tfl.layers.dense({
    units,
    activation,
    name,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }),
    biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: seed++ }),
    ...extra,
  });

/** Saves `model` as tensorflowjs_converter lays out a Keras model: model.json + group1-shard1of1.bin. */
async function save(model, dir) {
  let artifacts;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  mkdirSync(dir, { recursive: true });
  const { class_name, config, keras_version, backend } = artifacts.modelTopology;
  const modelJson = {
    format: 'layers-model',
    generatedBy: `tfjs-layers ${tfl.version_layers}`,
    convertedBy: 'scripts/make-tfjs-fixture.mjs (tensorflowjs_converter layout)',
    modelTopology: { keras_version, backend, model_config: { class_name, config } },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson, null, 1)}\n`);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(artifacts.weightData));
}

const x = tf.randomUniform([5, d], 0, 1, 'float32', 42);
const list = (t) => Array.from(t.dataSync());

// VAE: functional encoder (keras.io's VAE example: heads z_mean, z_log_var), Sequential decoder ending in sigmoid.
{
  const input = tfl.input({ shape: [d], name: 'encoder_input' });
  const h = dense(hidden, 'relu', 'hidden').apply(input);
  const encoder = tfl.model({
    inputs: input,
    outputs: [dense(latent, 'linear', 'z_mean').apply(h), dense(latent, 'linear', 'z_log_var').apply(h)],
    name: 'encoder',
  });
  const decoder = tfl.sequential({
    name: 'decoder',
    layers: [dense(hidden, 'relu', 'decoder_hidden', { inputShape: [latent] }), dense(d, 'sigmoid', 'decoder_output')],
  });
  const [mu, logVar] = encoder.predict(x);
  const reconstruction = decoder.predict(mu);
  const dir = join(root, 'tfjs-dense-vae');
  await save(encoder, join(dir, 'encoder'));
  await save(decoder, join(dir, 'decoder'));
  writeFileSync(
    join(dir, 'outputs.json'),
    `${JSON.stringify({ x: list(x), mu: list(mu), logVar: list(logVar), reconstruction: list(reconstruction) })}\n`,
  );
}
// Autoencoder: Sequential tanh encoder with a linear code layer, decoder ending in a linear layer (MSE).
{
  const encoder = tfl.sequential({
    layers: [dense(hidden, 'tanh', 'enc_hidden', { inputShape: [d] }), dense(latent, 'linear', 'code')],
  });
  const decoder = tfl.sequential({
    layers: [dense(hidden, 'tanh', 'dec_hidden', { inputShape: [latent] }), dense(d, 'linear', 'dec_out')],
  });
  const z = encoder.predict(x);
  const reconstruction = decoder.predict(z);
  const dir = join(root, 'tfjs-dense-ae');
  await save(encoder, join(dir, 'encoder'));
  await save(decoder, join(dir, 'decoder'));
  writeFileSync(
    join(dir, 'outputs.json'),
    `${JSON.stringify({ x: list(x), z: list(z), reconstruction: list(reconstruction) })}\n`,
  );
}
console.log('wrote', root);
