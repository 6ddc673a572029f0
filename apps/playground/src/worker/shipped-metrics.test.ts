/**
 * The test metrics a shipped model's recipe records, and which the page shows beside it, are recomputed here from
 * the shipped weights themselves: each model is read from `public/models/` as the page reads it (`parseRecipe`,
 * the CRC-32, `artifactsToModel`) and evaluated on MNIST's 10 000 test digits by the library call `latentlab eval`
 * makes, with eval's defaults (batch 500, seed 0, no IWAE) on the backend the recipe names. So a weights file that
 * drifted from its recipe, or a recipe edited by hand, fails here.
 */
import { readFileSync } from 'node:fs';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { artifactsToModel, evaluateLatentModel, Pca, pcaMetrics } from '@latentlab/models';
import { crc32 } from '@latentlab/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ShippedName } from '../protocol.js';
import { parseRecipe } from './shipped-models.js';

const file = (name: string) => readFileSync(new URL(`../../public/models/${name}`, import.meta.url));
const json = (name: string) => JSON.parse(file(name).toString('utf8')) as Record<string, unknown>;

/** Every number of a recipe's `test` block (nested lists and objects flattened to dotted keys). */
function numbers(value: unknown, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof value === 'number') out.set(prefix, value);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value))
      for (const [key, x] of numbers(v, prefix ? `${prefix}.${k}` : k)) out.set(key, x);
  return out;
}

const NAMES: ShippedName[] = ['pca', 'ae', 'vae', 'vae-beta-0.5', 'vae-beta-4'];
let test: Awaited<ReturnType<typeof loadMnist>>;

beforeAll(async () => {
  test = await loadMnist({ split: 'test' });
});

describe("the shipped models' test metrics", () => {
  it.each(NAMES)('%s: its weights give the test metrics its recipe records (and the page shows)', async (name) => {
    const raw = json(`${name}.recipe.json`);
    const recipe = raw.test as Record<string, unknown>;
    const { weightBytes, weightCrc32, testLoss } = parseRecipe(name, raw);
    expect(await tf.setBackend(recipe.backend as string)).toBe(true);
    const weights = file(`${name}.weights.bin`);
    expect([weights.byteLength, crc32(weights)]).toEqual([weightBytes, weightCrc32]);
    const topology = json(`${name}.model.json`);
    const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
    const { model } = await artifactsToModel({
      modelTopology: topology.modelTopology as object,
      weightSpecs: topology.weightSpecs as never,
      weightData,
    });
    const before = tf.memory().numTensors;
    const [n, h, w] = test.shape;
    let metrics: object;
    try {
      if (model instanceof Pca) {
        const x = tf.tidy(() => tf.div(tf.tensor2d(Float32Array.from(test.images), [n, h * w]), 255)) as tf.Tensor2D;
        try {
          metrics = { model: 'pca', ...(await pcaMetrics(model, x)) };
        } finally {
          x.dispose();
        }
      } else {
        const data = createDataset({ name: 'mnist', x: test.images, shape: [n, h * w], labels: test.labels });
        metrics = await evaluateLatentModel(model, data, { iwaeK: 0, batchSize: 500, seed: 0 });
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
    const expected = numbers(recipe);
    const found = numbers(metrics);
    expected.delete('examples');
    expect(expected.size).toBeGreaterThan(2);
    for (const [key, value] of expected) {
      expect(found.has(key), key).toBe(true);
      // Same weights, data, seed and kernels: equal up to float32 summation order.
      expect(Math.abs(found.get(key)! - value), key).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(value)));
    }
    if (testLoss !== null) expect(found.get('loss.loss')!.toFixed(2)).toBe(testLoss.toFixed(2));
  });
});
