import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { diagonalGaussianLogDensity, standardNormalLogDensity } from './log-density.js';
import { createRng } from './random.js';
import { assertClose, assertFinite, assertNoLeaks } from './testing/index.js';

/** Float64 reference: Σ_j −½ [log 2π + v_j + (z_j − μ_j)² e^{−v_j}]. */
function logDensityRef(z: number[], mu: number[], v: number[]): number {
  return z.reduce((s, zj, j) => s - 0.5 * (Math.log(2 * Math.PI) + v[j]! + (zj - mu[j]!) ** 2 * Math.exp(-v[j]!)), 0);
}
const rows = (a: Float32Array, d: number) =>
  Array.from({ length: a.length / d }, (_, i) => Array.from(a.slice(i * d, (i + 1) * d)));

describe('diagonalGaussianLogDensity', () => {
  it('matches the float64 formula for [batch, d] inputs', async () => {
    const rng = createRng(1);
    const [batch, d] = [6, 5];
    const z = rng.normal([batch, d]);
    const mu = rng.normal([batch, d]);
    const logVar = rng.uniform([batch, d], -3, 3);
    const out = await assertNoLeaks(() => diagonalGaussianLogDensity(z, mu, logVar), 1);
    expect(out.shape).toEqual([batch]);
    const [zs, ms, vs] = await Promise.all([z, mu, logVar].map(async (t) => rows((await t.data()) as Float32Array, d)));
    const expected = zs!.map((zr, b) => logDensityRef(zr, ms![b]!, vs![b]!));
    // (z − μ)²/σ² reaches ~200 for logVar = −3; float32 with exp: rtol 1e-5 on cpu/wasm, webgl's exp is looser.
    await assertClose(out, expected, { atol: 1e-4, rtol: ['webgl', 'webgpu'].includes(tf.getBackend()) ? 1e-4 : 1e-5 });
    tf.dispose([z, mu, logVar, out]);
  });

  it('broadcasts z [k, batch, d] against mu, logVar [batch, d] to [k, batch]', async () => {
    const rng = createRng(2);
    const [k, batch, d] = [4, 3, 2];
    const z = rng.normal([k, batch, d]);
    const mu = rng.normal([batch, d]);
    const logVar = rng.uniform([batch, d], -1, 1);
    const out = diagonalGaussianLogDensity(z, mu, logVar);
    expect(out.shape).toEqual([k, batch]);
    const zs = rows((await z.data()) as Float32Array, d);
    const [ms, vs] = await Promise.all([mu, logVar].map(async (t) => rows((await t.data()) as Float32Array, d)));
    const expected = zs.map((zr, i) => logDensityRef(zr, ms![i % batch]!, vs![i % batch]!));
    await assertClose(out, expected, { atol: 1e-5, rtol: 1e-5 });
    tf.dispose([z, mu, logVar, out]);
  });

  it('stays finite for logVar = ±100 (clamped to LOG_VAR_RANGE)', async () => {
    const out = tf.tidy(() =>
      diagonalGaussianLogDensity(tf.tensor2d([[1, 2]]), tf.zeros([1, 2]), tf.tensor2d([[100, -100]])),
    );
    // Clamped: logVar → [20, −30]; float64 reference of the clamped density.
    await assertClose(out, [logDensityRef([1, 2], [0, 0], [20, -30])], { rtol: 1e-5 });
    await assertFinite(out);
    out.dispose();
  });

  it('rejects shapes that do not broadcast, with a ShapeError naming the function', () => {
    const z = tf.zeros([4, 3, 2]);
    const mu = tf.zeros([5, 2]);
    expect(() => diagonalGaussianLogDensity(z, mu, mu)).toThrow(ShapeError);
    expect(() => diagonalGaussianLogDensity(z, mu, mu)).toThrow(/diagonalGaussianLogDensity.*\[4, 3, 2\]/);
    expect(() => diagonalGaussianLogDensity(z, tf.zeros([3, 2]), tf.zeros([3, 1]))).toThrow(/logVar/);
    tf.dispose([z, mu]);
  });
});

describe('standardNormalLogDensity', () => {
  it('matches −½ Σ (log 2π + z²) in float64, for any leading shape', async () => {
    const z = createRng(3).normal([2, 3, 4]);
    const out = await assertNoLeaks(() => standardNormalLogDensity(z), 1);
    expect(out.shape).toEqual([2, 3]);
    const expected = rows((await z.data()) as Float32Array, 4).map((zr) =>
      logDensityRef(zr, [0, 0, 0, 0], [0, 0, 0, 0]),
    );
    await assertClose(out, expected, { atol: 1e-5, rtol: 1e-6 });
    expect(() => standardNormalLogDensity(tf.scalar(1))).toThrow(/standardNormalLogDensity/);
    tf.dispose([z, out]);
  });
});

describe('doc examples', () => {
  it('run as documented', async () => {
    const log2pi = Math.log(2 * Math.PI);
    const [out, std] = tf.tidy(() => [
      diagonalGaussianLogDensity(tf.tensor2d([[1, 0]]), tf.zeros([1, 2]), tf.zeros([1, 2])),
      standardNormalLogDensity(
        tf.tensor2d([
          [0, 0],
          [1, 0],
        ]),
      ),
    ]);
    await assertClose(out!, [-log2pi - 0.5], { atol: 1e-6 });
    await assertClose(std!, [-log2pi, -log2pi - 0.5], { atol: 1e-6 });
    tf.dispose([out!, std!]);
  });
});
