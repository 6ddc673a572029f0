import { ValueError } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import {
  DEFAULT_AUTOENCODER_CONFIG,
  DEFAULT_VAE_CONFIG,
  resolveAutoencoderConfig,
  resolveVaeConfig,
} from './config.js';
import { evaluateLatentModel } from './evaluation/evaluate.js';
import { createOptimizer } from './optimizers.js';
import { DEFAULT_PCA_CONFIG, Pca } from './pca/pca.js';
import { TRAIN_OPTION_KEYS } from './training/options.js';
import { train } from './training/train.js';
import { Vae } from './vae.js';

const small = { inputShape: [6], latentDim: 2, hiddenUnits: [4] };
const x = () => ({ data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7)), shape: [10, 6] });
const handler = tf.io.withSaveHandler(async () => ({
  modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
}));

interface Case {
  /** The function the error names. */
  fn: string;
  /** The call with one unknown key. */
  call: () => unknown;
  /** The key that should be suggested (null: none close enough). */
  suggest: string | null;
  /** Every valid key, each of which the message lists. */
  valid: readonly string[];
}

const fitKeys = TRAIN_OPTION_KEYS;
const cases: Array<[string, Case]> = [
  [
    'Vae config',
    {
      fn: 'Vae',
      call: () => new Vae({ ...small, latentDims: 2 } as never),
      suggest: 'latentDim',
      valid: Object.keys(DEFAULT_VAE_CONFIG),
    },
  ],
  [
    'resolveVaeConfig',
    {
      fn: 'Vae',
      call: () => resolveVaeConfig({ betta: 2 } as never),
      suggest: 'beta',
      valid: Object.keys(DEFAULT_VAE_CONFIG),
    },
  ],
  [
    'Autoencoder config',
    {
      fn: 'Autoencoder',
      call: () => new Autoencoder({ ...small, hidenUnits: [4] } as never),
      suggest: 'hiddenUnits',
      valid: Object.keys(DEFAULT_AUTOENCODER_CONFIG),
    },
  ],
  [
    'resolveAutoencoderConfig',
    {
      fn: 'Autoencoder',
      call: () => resolveAutoencoderConfig({ loss: 'mse' } as never),
      suggest: null,
      valid: Object.keys(DEFAULT_AUTOENCODER_CONFIG),
    },
  ],
  [
    'Pca config',
    {
      fn: 'Pca',
      call: () => new Pca({ ncomponents: 2 } as never),
      suggest: 'nComponents',
      valid: Object.keys(DEFAULT_PCA_CONFIG),
    },
  ],
  [
    'Vae.fit options',
    { fn: 'Vae.fit', call: () => new Vae(small).fit(x(), { epoch: 1 } as never), suggest: 'epochs', valid: fitKeys },
  ],
  [
    'Autoencoder.fit options',
    {
      fn: 'Autoencoder.fit',
      call: () => new Autoencoder(small).fit(x(), { batchsize: 4 } as never),
      suggest: 'batchSize',
      valid: fitKeys,
    },
  ],
  [
    'train options',
    {
      fn: 'train',
      call: () => train(new Autoencoder(small), x(), { validation_split: 0.2 } as never),
      suggest: 'validationSplit',
      valid: fitKeys,
    },
  ],
  [
    'fit earlyStopping',
    {
      fn: 'Vae.fit',
      call: () => new Vae(small).fit(x(), { earlyStopping: { patiance: 2 } as never }),
      suggest: 'patience',
      valid: ['patience', 'minDelta', 'restoreBestWeights'],
    },
  ],
  [
    'fit transform',
    {
      fn: 'Vae.fit',
      call: () => new Vae(small).fit(x(), { transform: { scal: 'none' } as never }),
      suggest: 'scale',
      valid: ['scale', 'binarize', 'threshold'],
    },
  ],
  [
    'fit optimizer (adam)',
    {
      fn: 'createOptimizer',
      call: () => new Vae(small).fit(x(), { optimizer: { name: 'adam', learningRate: 1e-3, beta_1: 0.9 } as never }),
      suggest: 'beta1',
      valid: ['name', 'learningRate', 'beta1', 'beta2', 'epsilon', 'update'],
    },
  ],
  [
    'createOptimizer (sgd)',
    {
      fn: 'createOptimizer',
      call: () => createOptimizer({ name: 'sgd', learningRate: 0.1, momentun: 0.9 } as never),
      suggest: 'momentum',
      valid: ['name', 'learningRate', 'momentum', 'nesterov'],
    },
  ],
  [
    'createOptimizer (rmsprop)',
    {
      fn: 'createOptimizer',
      call: () => createOptimizer({ name: 'rmsprop', learningRate: 0.1, decy: 0.9 } as never),
      suggest: 'decay',
      valid: ['name', 'learningRate', 'decay', 'momentum', 'epsilon'],
    },
  ],
  [
    'Vae.evaluate options',
    {
      fn: 'Vae.evaluate',
      call: () => new Vae(small).evaluate(x(), { batch: 5 } as never),
      suggest: null,
      valid: ['batchSize', 'transform'],
    },
  ],
  [
    'Autoencoder.evaluate transform',
    {
      fn: 'Autoencoder.evaluate',
      call: () => new Autoencoder(small).evaluate(x(), { transform: { binarise: 'dynamic' } as never }),
      suggest: 'binarize',
      valid: ['scale', 'binarize', 'threshold'],
    },
  ],
  [
    'evaluateLatentModel options',
    {
      fn: 'evaluateLatentModel',
      call: () => evaluateLatentModel(new Autoencoder(small), x(), { iwae: 10 } as never),
      suggest: 'iwaeK',
      valid: ['batchSize', 'transform', 'iwaeK', 'iwaeBatchSize', 'seed', 'onProgress'],
    },
  ],
  [
    'Pca.fit options',
    {
      fn: 'Pca.fit',
      call: () => new Pca().fit(x(), { chunkrows: 4 } as never),
      suggest: 'chunkRows',
      valid: ['chunkRows', 'kernel'],
    },
  ],
  [
    'Pca.partialFit options',
    {
      fn: 'Pca.partialFit',
      call: () => new Pca().partialFit(x(), { kernal: 'auto' } as never),
      suggest: 'kernel',
      valid: ['chunkRows', 'kernel'],
    },
  ],
  [
    'Pca.fitTransform options',
    {
      fn: 'Pca.fit',
      call: () => new Pca().fitTransform(x(), { chunk: 4 } as never),
      suggest: null,
      valid: ['chunkRows', 'kernel'],
    },
  ],
  [
    'Pca.evaluate options',
    {
      fn: 'Pca.evaluate',
      call: async () => (await new Pca().fit(x())).evaluate(x(), { kernel: 'auto' } as never),
      suggest: null,
      valid: ['chunkRows'],
    },
  ],
  [
    'Vae.save options',
    {
      fn: 'Vae.save',
      call: () => new Vae(small).save(handler, { optimiser: null } as never),
      suggest: 'optimizer',
      valid: ['optimizer', 'optimizerConfig', 'training'],
    },
  ],
  [
    'Pca.save options',
    {
      fn: 'Pca.save',
      call: async () => (await new Pca().fit(x())).save(handler, { trainig: null } as never),
      suggest: 'training',
      valid: ['optimizer', 'optimizerConfig', 'training'],
    },
  ],
];

async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return null;
}

describe('every public config and options object rejects unknown keys', () => {
  it.each(cases)('%s', async (_label, { fn, call, suggest, valid }) => {
    const error = await errorOf(call);
    expect(error).toBeInstanceOf(ValueError);
    const message = (error as Error).message;
    expect(message).toContain(`Error in ${fn}:`);
    expect(message).toMatch(/unknown key '/);
    for (const key of valid) expect(message).toContain(`'${key}'`);
    if (suggest) expect(message).toContain(`did you mean '${suggest}'?`);
    else expect(message).not.toContain('did you mean');
  });

  it("names onEpochEnd for Keras' callbacks object, and the callback of a correct run is called", async () => {
    const onEpochEnd = () => {};
    const error = await errorOf(() => new Vae(small).fit(x(), { callbacks: { onEpochEnd } } as never));
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toMatch(/unknown key 'callbacks' \(.*onEpochEnd/);
    const epochs: number[] = [];
    const ae = new Autoencoder(small);
    await ae.fit(x(), { epochs: 2, onEpochEnd: (log) => void epochs.push(log.epoch) });
    expect(epochs).toEqual([0, 1]);
    ae.dispose();
  });

  it('rejects options that are not objects', async () => {
    expect(await errorOf(() => new Vae(null as never))).toBeInstanceOf(ValueError);
    expect(await errorOf(() => new Pca([] as never))).toBeInstanceOf(ValueError);
    expect(await errorOf(() => new Autoencoder(small).fit(x(), 3 as never))).toBeInstanceOf(ValueError);
    expect(await errorOf(() => new Autoencoder(small).fit(x(), { onEpochEnd: 3 } as never))).toBeInstanceOf(ValueError);
  });
});
