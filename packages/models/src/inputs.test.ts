import { LatentlabError } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import type { ModelInput } from './inputs.js';
import { Pca } from './pca/pca.js';
import { Vae } from './vae.js';

// 12 examples of 2×3 bytes, and the same values as the models must read them: x / 255 in float32.
const n = 12;
const shape = [n, 2, 3];
const u8 = Uint8Array.from({ length: n * 6 }, (_, i) => (i * 53 + (i % 5) * 17) % 256);
const f32 = Float32Array.from(u8, (v) => v / 255);
const netConfig = { inputShape: [6], latentDim: 2, hiddenUnits: [4], seed: 7 };

/** Every form of the same data: a byte Dataset, bytes { data, shape }, float32 { data, shape }, a float32 tensor. */
function forms(): Array<[string, ModelInput]> {
  return [
    ['Dataset of bytes', createDataset({ name: 'bytes', x: u8, shape })],
    ['Dataset without name', { x: u8, shape }],
    ['{ data: Uint8Array, shape }', { data: u8, shape }],
    ['{ data: Float32Array, shape: [n, d] }', { data: f32, shape: [n, 6] }],
    ['Tensor [n, 2, 3]', tf.tensor(f32, shape)],
  ];
}

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

type AnyModel = Vae | Autoencoder | Pca;
const models: Array<[string, () => Promise<AnyModel>]> = [
  ['Vae', async () => new Vae(netConfig)],
  ['Autoencoder', async () => new Autoencoder(netConfig)],
  ['Pca', async () => new Pca({ nComponents: 2 }).fit({ data: f32, shape: [n, 6] })],
];

describe.each(models)('%s reads every input form alike (bytes as x / 255)', (_name, make) => {
  it('encode, reconstruct and decode give the same values for every form', async () => {
    const model = await make();
    const ref = tf.tensor2d(f32, [n, 6]);
    const expected = {
      encode: await values(model.encode(ref)),
      reconstruct: await values(model.reconstruct(ref)),
    };
    const z = model.encode(ref);
    const zValues = (await z.data()) as Float32Array;
    const decoded = await values(model.decode(z));
    for (const [label, input] of forms()) {
      const before = tf.memory().numTensors;
      expect(await values(model.encode(input)), label).toEqual(expected.encode);
      expect(await values(model.reconstruct(input)), label).toEqual(expected.reconstruct);
      expect(tf.memory().numTensors, `${label}: no leaks`).toBe(before);
      if (input instanceof tf.Tensor) input.dispose();
    }
    expect(await values(model.decode({ data: zValues, shape: [n, 2] }))).toEqual(decoded);
    if (model instanceof Pca) {
      expect(await values(model.transform({ data: u8, shape }))).toEqual(expected.encode);
      expect(await values(model.inverseTransform({ data: zValues, shape: [n, 2] }))).toEqual(decoded);
    }
    tf.dispose([ref, z]);
    model.dispose();
  });

  it('fit and evaluate give the same results for every form (fresh models of the same seed)', async () => {
    const results: string[] = [];
    for (const [label, input] of forms()) {
      const model = await make();
      if (model instanceof Pca) {
        await model.fit(input);
        const summary = await model.evaluate(input);
        results.push(
          JSON.stringify([Array.from(model.explainedVariance, (v) => v.toPrecision(6)), summary.loss.toPrecision(6)]),
        );
      } else {
        const { history } = await model.fit(input, { epochs: 1, batchSize: 4 });
        const summary = await model.evaluate(input);
        results.push(JSON.stringify([history[0]!.loss, summary]));
      }
      if (input instanceof tf.Tensor) input.dispose();
      model.dispose();
      expect(results.at(-1), label).toBe(results[0]);
    }
  });
});

/** Inputs that are not data, or do not fit a model with 6 features and 2 latent dimensions. */
const wrongInputs: Array<[string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 3],
  ['a bare Float32Array', () => f32],
  ['a plain array as data', () => ({ data: Array.from(f32), shape: [n, 6] })],
  ['a Uint8ClampedArray', () => ({ data: new Uint8ClampedArray(n * 6), shape: [n, 6] })],
  ['a rank-1 shape', () => ({ data: f32, shape: [n * 6] })],
  ['data not fitting its shape', () => ({ data: f32, shape: [n, 7] })],
  ['wrong features (array)', () => ({ x: new Float32Array(n * 5), shape: [n, 5] })],
  ['wrong features (tensor)', () => tf.zeros([n, 5])],
  ['zero rows', () => ({ data: new Float32Array(0), shape: [0, 6] })],
];

describe.each(models)('%s rejects wrong inputs with typed errors naming the method', (name, make) => {
  it.each(wrongInputs)('%s', async (_label, input) => {
    const model = await make();
    const methods: Array<[string, (x: never) => unknown]> = [
      [`${name}.${name === 'Pca' ? 'transform' : 'encode'}`, (x) => model.encode(x)],
      [`${name}.${name === 'Pca' ? 'transform' : 'encode'}`, (x) => model.reconstruct(x)],
      [`${name}.${name === 'Pca' ? 'inverseTransform' : 'decode'}`, (x) => model.decode(x)],
      [`${name}.evaluate`, (x) => model.evaluate(x)],
      [`${name}.fit`, (x) => (model instanceof Pca ? model.fit(x) : model.fit(x, { epochs: 1 }))],
    ];
    for (const [fn, call] of methods) {
      // PCA maps zero rows to zero codes ([0, k]), as matMul does; fitting and evaluating need rows.
      if (name === 'Pca' && _label === 'zero rows' && !/fit|evaluate/.test(fn)) continue;
      const x = input();
      const before = tf.memory().numTensors;
      const error = await (async () => {
        try {
          await call(x as never);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error, `${fn}(${_label})`).toBeInstanceOf(LatentlabError);
      expect((error as Error).message, `${fn}(${_label})`).toContain(`Error in ${fn}`);
      expect(tf.memory().numTensors, `${fn}: no leaks`).toBe(before);
      if (x instanceof tf.Tensor) x.dispose();
    }
    model.dispose();
  });
});
