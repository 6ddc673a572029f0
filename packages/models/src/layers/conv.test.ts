import { createRng } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ParameterSet } from '../model/parameter-set.js';
import { col2im, im2col, im2colPlan } from '../ops/im2col.js';
import { applyConvLayer, applyConvTransposeLayer, createConvLayer, createConvTransposeLayer } from './conv.js';

// The references are tfjs's own conv2d / conv2dTranspose forward kernels (which exist on every backend);
// WebGL computes in float32 with its own summation order, hence 1e-4 tolerances.
const cases = [
  { h: 5, w: 7, k: 3, s: 2, cin: 2, cout: 3 },
  { h: 4, w: 4, k: 3, s: 1, cin: 1, cout: 2 },
  { h: 6, w: 6, k: 4, s: 2, cin: 3, cout: 2 },
  { h: 7, w: 7, k: 3, s: 2, cin: 1, cout: 4 },
];

describe('im2col convolutions', () => {
  it.each(cases)('conv matches tf.conv2d (same padding) for %j', async ({ h, w, k, s, cin, cout }) => {
    const params = new ParameterSet();
    const rng = createRng(1);
    const conv = createConvLayer(params, 'c', [h, w, cin], cout, k, s, 'linear', 'torch', rng);
    const x = rng.normal([2, h, w, cin]) as tf.Tensor4D;
    const y = await assertNoLeaks(() => applyConvLayer(conv, x), 1);
    const expected = tf.tidy(() =>
      tf.add(tf.conv2d(x, tf.reshape(conv.w, [k, k, cin, cout]) as tf.Tensor4D, s, 'same'), conv.b),
    );
    expect(y.shape).toEqual([2, Math.ceil(h / s), Math.ceil(w / s), cout]);
    await assertClose(y, expected, { atol: 1e-4, rtol: 1e-4 });
    tf.dispose([x, y, expected]);
    params.dispose();
  });

  it.each(cases)('transposed conv matches tf.conv2dTranspose for %j', async ({ h, w, k, s, cin, cout }) => {
    // The transposed layer maps [⌈h/s⌉, ⌈w/s⌉, cout] back to [h, w, cin].
    const params = new ParameterSet();
    const rng = createRng(2);
    const up = createConvTransposeLayer(params, 'u', [h, w, cin], cout, k, s, 'linear', 'torch', rng);
    const x = rng.normal([2, Math.ceil(h / s), Math.ceil(w / s), cout]) as tf.Tensor4D;
    const y = await assertNoLeaks(() => applyConvTransposeLayer(up, x), 1);
    // W [cout_in, (ky, kx, c)] → tfjs filter [k, k, outDepth = cin, inDepth = cout].
    const filter = tf.tidy(() => tf.transpose(tf.reshape(up.w, [cout, k, k, cin]), [1, 2, 3, 0])) as tf.Tensor4D;
    const expected = tf.tidy(() => tf.add(tf.conv2dTranspose(x, filter, [2, h, w, cin], s, 'same'), up.b));
    expect(y.shape).toEqual([2, h, w, cin]);
    await assertClose(y, expected, { atol: 1e-4, rtol: 1e-4 });
    tf.dispose([x, y, filter, expected]);
    params.dispose();
  });

  it('im2col and col2im are adjoint, and each is the other’s gradient', async () => {
    const plan = im2colPlan(5, 6, 3, 2);
    const rng = createRng(3);
    const x = rng.normal([2, 5, 6, 3]) as tf.Tensor4D;
    const cols = rng.normal([2 * 3 * 3, 9 * 3]) as tf.Tensor2D;
    // ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩, in float64 from the downloaded values.
    const dot = async (a: tf.Tensor, b: tf.Tensor) => {
      const [u, v] = [Array.from(await a.data()), Array.from(await b.data())];
      return u.reduce((s, ui, i) => s + ui * v[i]!, 0);
    };
    const ax = im2col(x, plan);
    const aty = col2im(cols, plan);
    expect(await dot(ax, cols)).toBeCloseTo(await dot(x, aty), 3);
    const gx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(im2col(t as tf.Tensor4D, plan), cols)))(x);
    await assertClose(gx, aty, { atol: 1e-5 });
    const gc = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(col2im(t as tf.Tensor2D, plan), x)))(cols);
    await assertClose(gc, ax, { atol: 1e-5 });
    expect(plan.fanOut).toBe(4); // ⌈3/2⌉²
    tf.dispose([x, cols, ax, aty, gx, gc, plan.forward, plan.backward]);
  });
});
