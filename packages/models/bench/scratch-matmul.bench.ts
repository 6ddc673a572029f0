import * as tf from '@tensorflow/tfjs-core';
import { test } from 'vitest';

function time(label: string, f: () => tf.Tensor, reps = 20) {
  for (let i = 0; i < 3; i++) tf.tidy(f).dataSync();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => f()).dataSync();
  const ms = (performance.now() - t0) / reps;
  console.log(`${tf.getBackend()} ${label}: ${ms.toFixed(3)} ms`);
}

test('matmul variants', async () => {
  for (const be of (process.env.BE ?? 'wasm').split(',')) {
    await tf.setBackend(be);
    const x = tf.randomUniform([128, 784]);
    const w = tf.randomNormal([784, 400]);
    const dy = tf.randomNormal([128, 400]);
    const b = tf.randomNormal([400]);
    const ones = tf.ones([1, 128]);
    time('x·W plain', () => tf.matMul(x, w));
    time('fused x·W+b relu', () => tf.fused.matMul({ a: x, b: w, bias: b, activation: 'relu' }));
    time('x·W + b', () => tf.add(tf.matMul(x, w), b));
    time('dy·Wᵀ transposeB', () => tf.matMul(dy, w, false, true));
    time('dy·transpose(W)', () => tf.matMul(dy, tf.transpose(w)));
    time('transpose(W)', () => tf.transpose(w));
    time('xᵀ·dy transposeA', () => tf.matMul(x, dy, true, false));
    time('transpose(x)·dy', () => tf.matMul(tf.transpose(x), dy));
    const w4 = tf.randomNormal([400, 784]);
    const dl = tf.randomNormal([128, 784]);
    time('dl·transpose(W4)', () => tf.matMul(dl, tf.transpose(w4)));
    time('transpose(W4·transpose(dl))', () => tf.transpose(tf.matMul(w4, tf.transpose(dl))));
    time('dl·W4ᵀ flag', () => tf.matMul(dl, w4, false, true));
    time('sum(dy,0)', () => tf.sum(dy, 0));
    time('ones·dy', () => tf.matMul(ones, dy));
    time('step*dy', () => tf.mul(dy, tf.step(dy)));
    time('where', () => tf.where(tf.greater(dy, 0), dy, tf.zerosLike(dy)));
    const l = tf.randomNormal([128, 784]);
    time('sigmoid(l)-x', () => tf.sub(tf.sigmoid(l), x));
    time('softplus', () => tf.softplus(l));
    time('bce core formula', () => tf.add(tf.sub(tf.relu(l), tf.mul(l, x)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
    time('mul 313k', () => tf.mul(w, 0.9));
    time('add 313k', () => tf.add(w, w));
    time('sqrt 313k', () => tf.sqrt(tf.abs(w)));
  }
});
