import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DecoderLikelihood, decoderNll } from './decoder-nll.js';
import { ShapeError, ValueError } from './errors.js';
import { gaussianNllLogC } from './gaussian-nll.js';
import { assertClose, assertGradientClose, assertNoLeaks } from './testing/index.js';
import { seededUniforms as uniform } from './testing/seeded-uniforms.js';

const gpu = ['webgl', 'webgpu'].includes(tf.getBackend());
// GPU backends (webgl, webgpu): float32 exp/log approximations less careful than cpu/wasm's.
const TOL = gpu ? { atol: 2e-4, rtol: 1e-4 } : { atol: 2e-5, rtol: 1e-5 };

// Float64 references from the densities (docs/math.md §4), independent of the code under test.
const [B, F] = [4, 6];
const x = uniform(B * F, 61);
const out = uniform(B * F, 62, -3, 3);
const perRow = (term: (x: number, o: number) => number) =>
  Array.from({ length: B }, (_, b) => {
    let s = 0;
    for (let i = b * F; i < (b + 1) * F; i++) s += term(x[i]!, out[i]!);
    return s;
  });
/** −log[σ(l)^x (1 − σ(l))^(1−x)] from the definition. */
const bernoulli64 = (xi: number, l: number) => {
  const s = 1 / (1 + Math.exp(-l));
  return -(xi * Math.log(s) + (1 - xi) * Math.log(1 - s));
};
/** −log of the normal density with mean o and variance c, written from the density itself. */
const gaussian64 = (c: number) => (xi: number, o: number) =>
  -Math.log(Math.exp(-((xi - o) ** 2) / (2 * c)) / Math.sqrt(2 * Math.PI * c));

describe('decoderNll', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());
  const xt = () => tf.tensor2d(x, [B, F]);
  const ot = () => tf.tensor2d(out, [B, F]);

  it('is −log p(x|z) of every decoder kind: Bernoulli, Gaussian with c, with a learned log c, and C·SSE', async () => {
    await assertClose(decoderNll(xt(), ot(), { decoder: 'bernoulli' }), perRow(bernoulli64), TOL);
    await assertClose(decoderNll(xt(), ot(), { decoder: 'gaussian', c: 0.3 }), perRow(gaussian64(0.3)), TOL);
    const logC = tf.scalar(Math.log(2.5));
    await assertClose(decoderNll(xt(), ot(), { decoder: 'gaussian', logC }), perRow(gaussian64(2.5)), TOL);
    await assertClose(
      decoderNll(xt(), ot(), { decoder: 'gaussian', C: 4 }),
      perRow((a, o) => 4 * (a - o) ** 2),
      TOL,
    );
  });

  it('learned variance: ∂/∂logC = Σ_b [−‖x_b − f_b‖²·e^{−logC}/2 + D/2], checked against finite differences', async () => {
    const logC0 = 0.4;
    const ref = (v: Float64Array) => perRow(gaussian64(Math.exp(v[0]!))).reduce((s, r) => s + r, 0);
    const f = (t: tf.Tensor) => decoderNll(xt(), ot(), { decoder: 'gaussian', logC: tf.reshape(t, []) as tf.Scalar });
    const { analytic } = await assertGradientClose(f, ref, [logC0], [1], gpu ? { atol: 1e-2, rtol: 1e-3 } : {});
    const sse = perRow((a, o) => (a - o) ** 2);
    const closed = sse.reduce((s, e) => s - (e * Math.exp(-logC0)) / 2 + F / 2, 0);
    await assertClose(analytic, [closed], { atol: 1e-3, rtol: 1e-4 });
  });

  it('learned variance: the gradient with respect to the mean is (f − x)/c, as with a fixed c', async () => {
    const c = 0.8;
    const g = tf.grad((m: tf.Tensor) =>
      tf.sum(decoderNll(xt(), m, { decoder: 'gaussian', logC: tf.scalar(Math.log(c)) })),
    )(ot());
    await assertClose(
      g,
      Array.from(out, (o, i) => (o - x[i]!) / c),
      TOL,
    );
  });

  it('leaks no tensors on any kind, forward and backward', async () => {
    const [a, o] = [xt(), ot()];
    const logC = tf.scalar(0.1);
    for (const likelihood of [
      { decoder: 'bernoulli' },
      { decoder: 'gaussian', c: 1 },
      { decoder: 'gaussian', logC },
      { decoder: 'gaussian', C: 2 },
    ] as DecoderLikelihood[]) {
      (await assertNoLeaks(() => decoderNll(a, o, likelihood), 1)).dispose();
      (await assertNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(decoderNll(a, t, likelihood)))(o), 1)).dispose();
    }
    const gl = await assertNoLeaks(
      () => tf.grad((t: tf.Tensor) => tf.sum(gaussianNllLogC(a, o, t as tf.Scalar)))(logC),
      1,
    );
    gl.dispose();
  });

  it('throws a ValueError naming decoderNll for unknown or conflicting likelihoods', () => {
    const bad = [
      { decoder: 'poisson' },
      { decoder: 'gaussian' },
      { decoder: 'gaussian', c: 1, logC: tf.scalar(0) },
      { decoder: 'gaussian', c: 1, C: 1 },
      { decoder: 'bernoulli', logC: tf.scalar(0) },
      { decoder: 'gaussian', c: Number.POSITIVE_INFINITY },
      { decoder: 'gaussian', logC: 0.5 },
    ] as unknown as DecoderLikelihood[];
    for (const o of bad) {
      expect(() => decoderNll(xt(), ot(), o), String(Object.keys(o))).toThrow(ValueError);
      expect(() => decoderNll(xt(), ot(), o)).toThrow(/^Error in decoderNll: .*expected .*found /);
    }
  });

  it('throws a ShapeError for a logC that is not a scalar, or mismatched x and decoded', () => {
    expect(() => decoderNll(xt(), ot(), { decoder: 'gaussian', logC: tf.zeros([1]) as tf.Scalar })).toThrow(ShapeError);
    expect(() => gaussianNllLogC(xt(), ot(), tf.zeros([2]) as tf.Scalar)).toThrow(/^Error in gaussianNllLogC: logC/);
    expect(() => decoderNll(xt(), tf.zeros([B, F + 1]), { decoder: 'bernoulli' })).toThrow(ShapeError);
  });

  it('runs the gaussianNllLogC @example', async () => {
    const v = gaussianNllLogC(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]]), tf.scalar(Math.log(0.5)));
    await assertClose(v, [5 + Math.log(Math.PI)], TOL);
  });
});
