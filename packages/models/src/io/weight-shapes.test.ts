import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from '../autoencoder.js';
import { type AutoencoderConfig, resolveAutoencoderConfig, resolveVaeConfig, type VaeConfig } from '../config.js';
import { im2colPlan } from '../ops/im2col.js';
import { Vae } from '../vae.js';
import { modelWeightShapes } from './weight-shapes.js';

/** The weights a built model really has: name → shape. */
function builtShapes(model: Vae | Autoencoder): Record<string, number[]> {
  const out = Object.fromEntries(model.weightNames.map((n, i) => [n, [...model.trainableVariables[i]!.shape]]));
  model.dispose();
  return out;
}

const derived = (kind: 'vae' | 'autoencoder', config: Readonly<VaeConfig> | Readonly<AutoencoderConfig>) =>
  Object.fromEntries(modelWeightShapes(kind, config).weights.map((w) => [w.name, w.shape]));

describe('modelWeightShapes', () => {
  const vaes: Partial<VaeConfig>[] = [
    { inputShape: [8], latentDim: 2, hiddenUnits: [6] },
    { inputShape: [8], latentDim: 3, hiddenUnits: [] },
    { inputShape: [12], latentDim: 2, hiddenUnits: [7, 5], decoder: 'gaussian', decoderVariance: 'learned' },
    { architecture: 'conv', inputShape: [7, 5, 2], latentDim: 2, convFilters: [3, 4], kernelSize: 3, hiddenUnits: [6] },
    { architecture: 'conv', inputShape: [6, 6, 1], latentDim: 2, convFilters: [2], kernelSize: 2, hiddenUnits: [] },
  ];
  const aes: Partial<AutoencoderConfig>[] = [
    { architecture: 'linear', inputShape: [8], latentDim: 3 },
    { architecture: 'mlp', inputShape: [8], latentDim: 2, hiddenUnits: [6, 4] },
    { architecture: 'conv', inputShape: [5, 6, 1], latentDim: 2, convFilters: [2, 3], kernelSize: 3, hiddenUnits: [4] },
  ];
  it('equals the weights a built Vae has, for MLP, conv and learned-variance configs', () => {
    const before = tf.memory().numTensors;
    for (const c of vaes) expect(derived('vae', resolveVaeConfig(c))).toEqual(builtShapes(new Vae(c)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('equals the weights a built Autoencoder has, for linear, MLP and conv configs', () => {
    for (const c of aes)
      expect(derived('autoencoder', resolveAutoencoderConfig(c))).toEqual(builtShapes(new Autoencoder(c)));
  });

  it('computes a giant config without allocating (no tensor exists afterwards)', () => {
    const before = tf.memory().numTensors;
    const { weights } = modelWeightShapes('vae', resolveVaeConfig({ inputShape: [784], hiddenUnits: [700000] }));
    expect(weights[0]).toEqual({ name: 'encoder/0/w', shape: [784, 700000] });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("counts the conv layers' im2col table entries as the layers build them", () => {
    // Two stride-2 3×3 convs on 7×5 (→ 4×3 → 2×2), and their transposes back: each builds the plan of its
    // larger side, so the tables are those of plans 7×5 and 4×3, twice.
    const c = resolveVaeConfig({
      architecture: 'conv',
      inputShape: [7, 5, 1],
      convFilters: [2, 2],
      kernelSize: 3,
      hiddenUnits: [],
    });
    const plans = [im2colPlan(7, 5, 3, 2), im2colPlan(4, 3, 3, 2)];
    const entries = plans.reduce((s, p) => s + p.forward.size + p.backward.size, 0);
    tf.dispose(plans.flatMap((p) => [p.forward, p.backward]));
    expect(modelWeightShapes('vae', c).tableEntries).toBe(2 * entries);
  });
});
