import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import type { ModelInput } from './inputs.js';
import { loadModel, saveModel } from './io/save-load.js';
import './node.js'; // registers the file:// router
import { Pca } from './pca/pca.js';
import { Vae } from './vae.js';

const n = 20;
const d = 6;
const x = { data: Float32Array.from({ length: n * d }, (_, i) => Math.cos(i * 0.7) * 0.5 + 0.5), shape: [n, d] };
const small = { inputShape: [d], latentDim: 2, hiddenUnits: [4], seed: 1 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'latentlab-save-url-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codes(model: { encode(input: ModelInput): tf.Tensor2D }): Promise<number[]> {
  const z = model.encode(x);
  const v = Array.from(await z.data());
  z.dispose();
  return v;
}

const models: Array<[string, () => Promise<Vae | Autoencoder | Pca>]> = [
  ['Vae', async () => new Vae(small)],
  ['Autoencoder', async () => new Autoencoder(small)],
  ['Pca', async () => new Pca({ nComponents: 2 }).fit(x)],
];

describe.each(models)('%s.save(url)', (name, make) => {
  it("writes to 'file://dir' what loadModel reads back (the same codes)", async () => {
    const model = await make();
    const url = `file://${path.join(dir, name)}`;
    const result = await model.save(url);
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
    const { model: loaded } = await loadModel(url);
    expect(await codes(loaded as never)).toEqual(await codes(model as never));
    loaded.dispose();
    model.dispose();
  });

  it('hands a tfjs IO handler the artifacts saveModel makes', async () => {
    const model = await make();
    const seen: tf.io.ModelArtifacts[] = [];
    const handler = tf.io.withSaveHandler(async (a) => {
      seen.push(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    });
    const before = tf.memory().numTensors;
    await model.save(handler);
    await saveModel(model, handler);
    expect(tf.memory().numTensors).toBe(before);
    expect(seen[0]!.weightSpecs).toEqual(seen[1]!.weightSpecs);
    expect(new Uint8Array(seen[0]!.weightData as ArrayBuffer)).toEqual(
      new Uint8Array(seen[1]!.weightData as ArrayBuffer),
    );
    model.dispose();
  });
});

it('Pca.save refuses an unfitted model with the NotFittedError', async () => {
  await expect(new Pca().save(`file://${path.join(dir, 'unfitted')}`)).rejects.toThrow(
    /Pca.save: the model is not fitted/,
  );
});
