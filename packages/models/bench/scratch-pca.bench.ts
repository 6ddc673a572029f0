import * as tf from '@tensorflow/tfjs-core';
import { test } from 'vitest';

test('chunk ops', async () => {
  await tf.setBackend('wasm');
  const rows = 5349, d = 784, l = 60;
  const data = new Float32Array(rows * d).map(() => (Math.random() < 0.2 ? Math.random() : 0));
  const q = tf.randomNormal([d, l]);
  const m = tf.randomUniform([d]);
  const t = async (label: string, f: () => tf.Tensor | tf.Tensor[]) => {
    let best = 1e9;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const out = f();
      const arr = Array.isArray(out) ? out : [out];
      await Promise.all(arr.map((o) => o.data()));
      best = Math.min(best, performance.now() - t0);
      tf.dispose(arr);
    }
    console.log(label, best.toFixed(1), 'ms');
  };
  await t('upload', () => tf.tensor2d(Float32Array.from(data), [rows, d]));
  const x = tf.tensor2d(data, [rows, d]);
  await t('mean', () => tf.mean(x, 0));
  await t('sub', () => tf.sub(x, m));
  const xc = tf.sub(x, m);
  await t('transpose', () => tf.transpose(xc));
  const xt = tf.transpose(xc);
  await t('xt@x full', () => tf.matMul(xt, xc));
  const h = 392;
  await t('xt@x 2 blocks', () => [tf.matMul(tf.slice(xt, [0, 0], [h, rows]), xc), tf.matMul(tf.slice(xt, [h, 0], [d - h, rows]), tf.slice(xc, [0, h], [rows, d - h]))]);
  const top = tf.slice(xt, [0, 0], [h, rows]);
  const bot = tf.slice(xt, [h, 0], [d - h, rows]);
  const right = tf.slice(xc, [0, h], [rows, d - h]);
  await t('top only', () => tf.matMul(top, xc));
  await t('bottom only', () => tf.matMul(bot, right));
  await t('slices', () => [tf.slice(xt, [0, 0], [h, rows]), tf.slice(xc, [0, h], [rows, d - h])]);
  for (const k of [512, 1024, 2048]) {
    const a = tf.slice(xt, [0, 0], [d, k]);
    const b = tf.slice(xc, [0, 0], [k, d]);
    await t(`K=${k} full (x${(rows / k).toFixed(1)})`, () => tf.matMul(a, b));
  }
});
