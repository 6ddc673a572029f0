import { createRng, ShapeError, ValueError } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ParameterSet } from '../model/parameter-set.js';
import { activate } from './activation.js';
import { initBias, initWeight } from './init.js';
import { Mlp } from './mlp.js';

describe('initWeight / initBias', () => {
  it('torch: U(−1/√fan_in, 1/√fan_in) for weights and biases (PyTorch nn.Linear’s default)', async () => {
    const w = initWeight('torch', [400, 100], 400, 100, createRng(0));
    const b = initBias('torch', 100, 400, createRng(1));
    const v = Array.from(await w.data());
    const bound = 1 / Math.sqrt(400);
    expect(v.every((x) => Math.abs(x) <= bound)).toBe(true);
    // Var U(−a, a) = a²/3; with 40 000 draws the sample variance is within ±2 % (sd ≈ 0.45 %).
    const variance = v.reduce((s, x) => s + x * x, 0) / v.length;
    expect(variance / (bound ** 2 / 3)).toBeGreaterThan(0.98);
    expect(variance / (bound ** 2 / 3)).toBeLessThan(1.02);
    expect(Array.from(await b.data()).every((x) => Math.abs(x) <= bound && x !== 0)).toBe(true);
    tf.dispose([w, b]);
  });

  it('glorot: U(±√(6/(fan_in + fan_out))), zero biases; typed errors', async () => {
    const w = initWeight('glorot', [30, 20], 30, 20, createRng(0));
    const limit = Math.sqrt(6 / 50);
    expect(Array.from(await w.data()).every((x) => Math.abs(x) <= limit)).toBe(true);
    expect(Math.max(...Array.from(await w.data()).map(Math.abs))).toBeGreaterThan(0.9 * limit);
    const b = initBias('glorot', 5, 30, createRng(0));
    expect(Array.from(await b.data())).toEqual([0, 0, 0, 0, 0]);
    expect(() => initWeight('he' as 'torch', [2, 2], 2, 2, createRng(0))).toThrow(ValueError);
    expect(() => initBias('torch', 0, 3, createRng(0))).toThrow(/fanOut is out of range/);
    tf.dispose([w, b]);
  });
});

describe('activate', () => {
  it('computes each nonlinearity from its formula', async () => {
    const xs = [-2, -0.5, 0, 0.5, 2];
    const x = tf.tensor1d(xs);
    const f: Record<string, (v: number) => number> = {
      relu: (v) => Math.max(v, 0),
      tanh: Math.tanh,
      sigmoid: (v) => 1 / (1 + Math.exp(-v)),
      elu: (v) => (v > 0 ? v : Math.expm1(v)),
      leakyRelu: (v) => Math.max(v, 0.2 * v),
      linear: (v) => v,
    };
    for (const [name, g] of Object.entries(f)) {
      const y = activate(x, name as 'relu');
      await assertClose(y, xs.map(g), { atol: 1e-6, label: name });
      if (name !== 'linear') y.dispose();
    }
    x.dispose();
  });
});

describe('Mlp', () => {
  it('computes h_l = act(h_{l−1}·W_l + b_l), matching a float64 evaluation', async () => {
    const params = new ParameterSet();
    const mlp = new Mlp(params, 'net', [3, 4, 2], 'tanh', 'linear', 'torch', createRng(2));
    expect(params.names).toEqual(['net/0/w', 'net/0/b', 'net/1/w', 'net/1/b']);
    const x = tf.tensor2d([
      [0.5, -1, 2],
      [0, 0.25, -0.75],
    ]);
    const y = await assertNoLeaks(() => tf.tidy(() => mlp.apply(x)), 1);
    const [w0, b0, w1, b1] = await Promise.all(params.variables.map(async (v) => Array.from(await v.data())));
    const expected = ((await x.array()) as number[][]).flatMap((row) => {
      const h = [0, 1, 2, 3].map((j) => Math.tanh(b0![j]! + row.reduce((s, xi, i) => s + xi * w0![i * 4 + j]!, 0)));
      return [0, 1].map((j) => b1![j]! + h.reduce((s, hi, i) => s + hi * w1![i * 2 + j]!, 0));
    });
    await assertClose(y, expected, { atol: 1e-5 });
    tf.dispose([x, y]);
    params.dispose();
  });
});

describe('ParameterSet', () => {
  it('round-trips weights by name, checks them before assigning, and disposes everything', async () => {
    const before = tf.memory().numTensors;
    const params = new ParameterSet();
    params.add('a', tf.zeros([2, 3]));
    params.add('b', tf.zeros([3]));
    params.addConstant(tf.ones([4]));
    expect(params.size).toBe(9);
    expect(() => params.add('a', tf.zeros([1]))).toThrow(/duplicate variable name/);
    const good = { a: tf.ones([2, 3]), b: tf.fill([3], 2) };
    params.setWeights(good);
    expect(Array.from(await params.variables[1]!.data())).toEqual([2, 2, 2]);
    const bad = { a: tf.ones([3, 2]), b: tf.zeros([3]) };
    expect(() => params.setWeights(bad)).toThrow(ShapeError);
    expect(() => params.setWeights(bad)).toThrow(
      /weight a has the wrong shape or dtype: expected float32 \[2, 3\], found float32 \[3, 2\]/,
    );
    expect(Array.from(await params.variables[1]!.data())).toEqual([2, 2, 2]); // unchanged: checked first
    expect(() => params.setWeights({ a: good.a, c: good.b })).toThrow(/missing b; unknown c/);
    const copy = params.getWeights();
    expect(Object.keys(copy)).toEqual(['a', 'b']);
    tf.dispose([good, bad, copy]);
    params.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
