import { ValueError } from '@latentlab/core';
import { createDataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import { historyColumns } from './history-columns.js';

const n = 40;
const d = 6;
const x = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
const config = { inputShape: [d], latentDim: 2, hiddenUnits: [5], seed: 3 };

describe('fit with validationSplit', () => {
  it('holds out the last ⌊…⌋ rows like Keras: the same run as validationData = those rows', async () => {
    const split = 0.25;
    const splitAt = Math.floor(n * (1 - split)); // Keras: int(n · (1 − split)) training rows, the rest validation
    const all = createDataset({ name: 'all', x, shape: [n, d], labels });
    const a = new Autoencoder(config);
    const b = new Autoencoder(config);
    const withSplit = await a.fit(all, { epochs: 3, batchSize: 8, validationSplit: split });
    const explicit = await b.fit(
      { data: x.subarray(0, splitAt * d), shape: [splitAt, d] },
      { epochs: 3, batchSize: 8, validationData: { data: x.subarray(splitAt * d), shape: [n - splitAt, d] } },
    );
    expect(withSplit.history.map((h) => [h.loss, h.validation])).toEqual(
      explicit.history.map((h) => [h.loss, h.validation]),
    );
    for (const h of withSplit.history) expect(h.validation?.loss).toBeGreaterThan(0);
    // The validation loss is the held-out rows' evaluation after the last epoch.
    expect(withSplit.history.at(-1)!.validation).toEqual(
      await a.evaluate({ data: x.subarray(splitAt * d), shape: [n - splitAt, d] }),
    );
    a.dispose();
    b.dispose();
  });

  it('historyColumns holds the records as Keras-style columns', async () => {
    const ae = new Autoencoder(config);
    const { history, historyColumns: columns } = await ae.fit(
      { data: x, shape: [n, d] },
      { epochs: 2, validationSplit: 0.2 },
    );
    expect(columns).toEqual(historyColumns(history));
    expect(columns.epoch).toEqual([0, 1]);
    expect(columns.loss).toEqual(history.map((h) => h.loss));
    expect(columns.val_loss).toEqual(history.map((h) => h.validation!.loss));
    expect(columns.val_reconstruction).toEqual(history.map((h) => h.validation!.reconstruction));
    expect(columns.kl).toEqual([null, null]); // an autoencoder has no KL term
    const plain = await ae.fit({ data: x, shape: [n, d] }, { epochs: 1 });
    expect(plain.historyColumns.val_loss).toBeUndefined();
    expect(plain.historyColumns.loss).toEqual([plain.history[0]!.loss]);
    ae.dispose();
  });

  it.each([
    ['0', { validationSplit: 0 }],
    ['1', { validationSplit: 1 }],
    ['NaN', { validationSplit: Number.NaN }],
    ['a string', { validationSplit: '0.2' as unknown as number }],
    ['with validationData', { validationSplit: 0.2, validationData: { data: x, shape: [n, d] } }],
  ])('rejects validationSplit %s with a ValueError, before training', async (_label, options) => {
    const ae = new Autoencoder(config);
    const before = tf.memory().numTensors;
    await expect(ae.fit({ data: x, shape: [n, d] }, options)).rejects.toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
    ae.dispose();
  });

  it('rejects a split that leaves no training row', async () => {
    const ae = new Autoencoder(config);
    await expect(ae.fit({ data: x.subarray(0, d), shape: [1, d] }, { validationSplit: 0.5 })).rejects.toThrow(
      /validationSplit leaves no training or no validation rows/,
    );
    ae.dispose();
  });
});
