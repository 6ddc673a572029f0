// importMlp with a name map: weights [out, in] transposed, sizes from the tensors, every mismatch a
// ModelFormatError naming the tensor. The reference forward pass is written here in float64 from the
// PyTorch-layout arrays (y = x Wᵀ + b), independent of Latentlab's layers.
import { ModelFormatError, type Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/fixtures.js';
import { importMlp, type NamedArray } from './mlp.js';
import type { MlpNameMap } from './name-map.js';

/** A seeded PyTorch-layout layer: weight [out, in], bias [out]. */
function linear(seed: number, inUnits: number, outUnits: number): [NamedArray, NamedArray] {
  const v = (n: number, s: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin((i + 1) * s) / Math.sqrt(inUnits)));
  return [
    { shape: [outUnits, inUnits], values: v(outUnits * inUnits, seed) },
    { shape: [outUnits], values: v(outUnits, seed + 0.5) },
  ];
}

/** y = x Wᵀ + b in float64, W [out, in]. */
function forward(x: number[], [w, b]: [NamedArray, NamedArray], act: (v: number) => number): number[] {
  const [out, inUnits] = w.shape as [number, number];
  return Array.from({ length: out }, (_, o) => {
    let s = b.values[o]!;
    for (let i = 0; i < inUnits; i++) s += x[i]! * w.values[o * inUnits + i]!;
    return act(s);
  });
}

const MAP: MlpNameMap = {
  kind: 'vae',
  encoder: ['enc.fc'],
  mu: 'enc.mu',
  logVar: 'enc.lv',
  decoder: ['dec.fc', 'dec.out'],
};
const layers = {
  'enc.fc': linear(1.1, 6, 5),
  'enc.mu': linear(2.3, 5, 2),
  'enc.lv': linear(3.7, 5, 2),
  'dec.fc': linear(4.1, 2, 5),
  'dec.out': linear(5.3, 5, 6),
};
function stateDict(edit: (m: Map<string, NamedArray>) => void = () => {}): Map<string, NamedArray> {
  const m = new Map<string, NamedArray>();
  for (const [name, [w, b]] of Object.entries(layers)) {
    m.set(`${name}.weight`, w);
    m.set(`${name}.bias`, b);
  }
  edit(m);
  return m;
}

describe('importMlp', () => {
  it('imports a custom-named MLP VAE: μ, log σ² and the decoder mean equal a float64 forward pass', () => {
    const before = tf.memory().numTensors;
    const vae = importMlp(stateDict(), MAP, { config: { activation: 'tanh' } }) as Vae;
    expect(vae.config).toMatchObject({
      inputShape: [6],
      hiddenUnits: [5],
      latentDim: 2,
      activation: 'tanh',
      decoder: 'bernoulli',
    });
    const x = [0.1, 0.9, 0.3, 0.5, 0.7, 0.2];
    const h = forward(x, layers['enc.fc'], Math.tanh);
    const mu = forward(h, layers['enc.mu'], (v) => v);
    const logVar = forward(h, layers['enc.lv'], (v) => v);
    const mean = forward(forward(mu, layers['dec.fc'], Math.tanh), layers['dec.out'], (v) => 1 / (1 + Math.exp(-v)));
    const xt = tf.tensor2d([x]);
    const post = vae.posterior(xt);
    const decoded = vae.decode(post.mu);
    expect(maxAbsDiff(post.mu.dataSync(), mu)).toBeLessThan(1e-6);
    expect(maxAbsDiff(post.logVar.dataSync(), logVar)).toBeLessThan(1e-6);
    expect(maxAbsDiff(decoded.dataSync(), mean)).toBeLessThan(1e-6);
    tf.dispose([xt, post.mu, post.logVar, decoded]);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['a missing weight', stateDict((m) => m.delete('enc.mu.weight')), "'enc.mu.weight'"],
    ['a missing bias', stateDict((m) => m.delete('dec.out.bias')), "'dec.out.bias'"],
    [
      'a bias of the wrong length',
      stateDict((m) => m.set('enc.fc.bias', { shape: [4], values: new Float32Array(4) })),
      '[5]',
    ],
    [
      'a weight that is not a matrix',
      stateDict((m) => m.set('enc.fc.weight', { shape: [30], values: new Float32Array(30) })),
      'not a matrix',
    ],
    [
      'layers that do not chain',
      stateDict((m) => m.set('dec.fc.weight', linear(1, 3, 5)[0])),
      "'dec.fc' does not take",
    ],
    [
      'a decoder that does not mirror',
      stateDict((m) => {
        m.set('dec.fc.weight', linear(1, 2, 4)[0]);
        m.set('dec.fc.bias', linear(1, 2, 4)[1]);
        m.set('dec.out.weight', linear(1, 4, 6)[0]);
      }),
      'mirror',
    ],
    [
      'an unused tensor',
      stateDict((m) => m.set('extra.weight', { shape: [1], values: new Float32Array(1) })),
      'extra.weight',
    ],
  ])('refuses %s with a ModelFormatError naming it, leaking nothing', (_, tensors, fragment) => {
    const before = tf.memory().numTensors;
    expect(() => importMlp(tensors, MAP)).toThrow(ModelFormatError);
    expect(() => importMlp(tensors, MAP)).toThrow(fragment);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts unused tensors that options.ignore names', () => {
    const vae = importMlp(
      stateDict((m) => m.set('num_batches_tracked', { shape: [], values: new Float32Array(1) })),
      MAP,
      {
        ignore: (n) => n === 'num_batches_tracked',
      },
    );
    expect(vae.latentDim).toBe(2);
    vae.dispose();
  });
});
