// Keras/tfjs Layers Dense models (fixtures made by real tfjs-layers 4.22, scripts/make-tfjs-fixture.mjs, in
// tensorflowjs_converter's layout): the imported model's outputs equal tfjs-layers' predict() within 1e-5.
import { type Autoencoder, ModelFormatError, type Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, maxAbsDiff } from '../testing/fixtures.js';
import { importTfjsLayers, type TfjsLayersModel } from './tfjs-layers.js';

const json = async (p: string) => JSON.parse(new TextDecoder().decode(await fixtureBytes(p)));
async function part(dir: string): Promise<TfjsLayersModel> {
  return { modelJson: await json(`${dir}/model.json`), weights: await fixtureBytes(`${dir}/group1-shard1of1.bin`) };
}

describe('importTfjsLayers', () => {
  it('imports a Dense VAE (functional encoder with z_mean / z_log_var, sigmoid decoder)', async () => {
    const parts = { encoder: await part('tfjs-dense-vae/encoder'), decoder: await part('tfjs-dense-vae/decoder') };
    const out = await json('tfjs-dense-vae/outputs.json');
    const before = tf.memory().numTensors;
    const vae = importTfjsLayers(parts, { kind: 'vae' }) as Vae;
    expect(vae.config).toMatchObject({
      inputShape: [16],
      hiddenUnits: [8],
      latentDim: 3,
      activation: 'relu',
      decoder: 'bernoulli',
    });
    const x = tf.tensor2d(out.x, [5, 16]);
    const { mu, logVar } = vae.posterior(x);
    const reconstruction = vae.decode(mu);
    expect(maxAbsDiff(mu.dataSync(), out.mu)).toBeLessThan(1e-5);
    expect(maxAbsDiff(logVar.dataSync(), out.logVar)).toBeLessThan(1e-5);
    expect(maxAbsDiff(reconstruction.dataSync(), out.reconstruction)).toBeLessThan(1e-5);
    tf.dispose([x, mu, logVar, reconstruction]);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imports a Dense autoencoder (tanh, linear code and output → MSE)', async () => {
    const parts = { encoder: await part('tfjs-dense-ae/encoder'), decoder: await part('tfjs-dense-ae/decoder') };
    const out = await json('tfjs-dense-ae/outputs.json');
    const ae = importTfjsLayers(parts, { kind: 'autoencoder' }) as Autoencoder;
    expect(ae.config).toMatchObject({ hiddenUnits: [8], latentDim: 3, activation: 'tanh', reconstruction: 'mse' });
    const x = tf.tensor2d(out.x, [5, 16]);
    const z = ae.encode(x);
    const reconstruction = ae.decode(z);
    expect(maxAbsDiff(z.dataSync(), out.z)).toBeLessThan(1e-5);
    expect(maxAbsDiff(reconstruction.dataSync(), out.reconstruction)).toBeLessThan(1e-5);
    tf.dispose([x, z, reconstruction]);
    ae.dispose();
  });

  it('refuses other layers, activations, quantized weights and short weight files', async () => {
    const encoder = await part('tfjs-dense-vae/encoder');
    const decoder = await part('tfjs-dense-vae/decoder');
    // biome-ignore lint/suspicious/noExplicitAny: edits of a raw model.json
    const edit = (f: (j: any) => void): TfjsLayersModel => {
      const modelJson = structuredClone(decoder.modelJson);
      f(modelJson);
      return { modelJson, weights: decoder.weights };
    };
    const cases: [TfjsLayersModel, string][] = [
      [edit((j) => (j.modelTopology.model_config.config.layers[0].class_name = 'Conv2D')), 'is not Dense'],
      [
        edit((j) => (j.modelTopology.model_config.config.layers[0].config.activation = 'selu')),
        'activation Latentlab lacks',
      ],
      [edit((j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8' })), 'not plain float32'],
      [
        { modelJson: decoder.modelJson, weights: (decoder.weights as Uint8Array).subarray(4) },
        'do not match the manifest',
      ],
    ];
    for (const [bad, fragment] of cases) {
      expect(() => importTfjsLayers({ encoder, decoder: bad }, { kind: 'vae' })).toThrow(ModelFormatError);
      expect(() => importTfjsLayers({ encoder, decoder: bad }, { kind: 'vae' })).toThrow(fragment);
    }
    expect(() => importTfjsLayers({ encoder, decoder }, { kind: 'vae', mu: 'mean' })).toThrow("layers 'mean'");
  });
});
