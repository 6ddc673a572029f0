import { createRng, Rng, ShapeError, ValueError } from '@latentlab/core';
import { assertClose, assertNoLeaks, tidyAsync } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { VaeConfig } from './config.js';
import { Vae } from './vae.js';

// The public seams of Vae (decodeLogits, logLikelihood, decoderReadout) and the loss composed through core's
// negativeElbo, checked against float64 formulas written here from the weights (docs/math.md §4).
const webgl = tf.getBackend() === 'webgl';
const TOL = webgl ? { atol: 2e-3, rtol: 1e-4 } : { atol: 2e-4, rtol: 1e-5 };
const [D, H, K] = [10, 7, 3]; // features, hidden units, latent dimensions
const base: Partial<VaeConfig> = { inputShape: [D], hiddenUnits: [H], latentDim: K, seed: 4 };

/** f(z) in float64 from the model's weights: relu(z·W₀ + b₀)·W₁ + b₁. */
async function decoder64(vae: Vae): Promise<(z: number[]) => number[]> {
  const w = vae.getWeights();
  const [w0, b0, w1, b1] = (await Promise.all(
    ['decoder/0/w', 'decoder/0/b', 'decoder/1/w', 'decoder/1/b'].map(async (n) => Array.from(await w[n]!.data())),
  )) as [number[], number[], number[], number[]];
  tf.dispose(Object.values(w));
  return (z) => {
    const h = b0.map((b, j) =>
      Math.max(
        0,
        z.reduce((s, zi, i) => s + zi * w0[i * H + j]!, b),
      ),
    );
    return b1.map((b, j) => h.reduce((s, hi, i) => s + hi * w1[i * D + j]!, b));
  };
}
const rowsOf = (a: ArrayLike<number>, d: number) =>
  Array.from({ length: a.length / d }, (_, r) => Array.from(a).slice(r * d, (r + 1) * d));
/** log p(x|z) from the densities: Bernoulli Π σ(l)^x (1 − σ(l))^(1−x), Gaussian N(f, c·I). */
const bernoulliLl = (x: number[], l: number[]) =>
  x.reduce(
    (s, xi, i) => s + xi * Math.log(1 / (1 + Math.exp(-l[i]!))) + (1 - xi) * Math.log(1 - 1 / (1 + Math.exp(-l[i]!))),
    0,
  );
const gaussianLl = (c: number) => (x: number[], f: number[]) =>
  x.reduce((s, xi, i) => s + Math.log(Math.exp(-((xi - f[i]!) ** 2) / (2 * c)) / Math.sqrt(2 * Math.PI * c)), 0);

const xs = createRng(1).uniformArray(6 * D);
const zs = createRng(2).normalArray(6 * K);

/** A model with a learned variance whose log c is moved off its initial 0. */
function learnedAt(logC: number): Vae {
  const vae = new Vae({ ...base, decoder: 'gaussian', decoderVariance: 'learned' });
  const w = vae.getWeights();
  w['decoder/logC']!.dispose();
  w['decoder/logC'] = tf.scalar(logC);
  vae.setWeights(w);
  tf.dispose(Object.values(w));
  return vae;
}

describe('Vae seams', () => {
  it('decodeLogits is f(z) from the weights; decode is sigmoid of it (Bernoulli) or it (Gaussian)', async () => {
    for (const config of [base, { ...base, decoder: 'gaussian' as const, decoderVariance: 0.5 }]) {
      const vae = new Vae(config);
      const f = await decoder64(vae);
      await tidyAsync(async () => {
        const z = tf.tensor2d(zs, [6, K]);
        const out = vae.decodeLogits(z);
        expect(out.shape).toEqual([6, D]);
        await assertClose(out, rowsOf(zs, K).flatMap(f), TOL);
        const mean = config.decoder === 'gaussian' ? out : tf.sigmoid(out);
        await assertClose(vae.decode(z), mean, { atol: 1e-6 });
        await assertClose(vae.decodeLogits({ data: zs, shape: [6, K] }), out, { atol: 0 });
      });
      vae.dispose();
    }
  });

  it('logLikelihood is log p(x|z) of the decoder: Bernoulli, fixed c and a learned c, rows of any input shape', async () => {
    const cases: [Vae, (x: number[], f: number[]) => number][] = [
      [new Vae(base), bernoulliLl],
      [new Vae({ ...base, decoder: 'gaussian', decoderVariance: 0.3 }), gaussianLl(0.3)],
      [learnedAt(0.7), gaussianLl(Math.exp(0.7))],
    ];
    for (const [vae, ll] of cases) {
      const f = await decoder64(vae);
      const expected = rowsOf(zs, K).map((z, r) => ll(rowsOf(xs, D)[r]!, f(z)));
      await tidyAsync(async () => {
        const z = tf.tensor2d(zs, [6, K]);
        await assertClose(vae.logLikelihood(tf.tensor2d(xs, [6, D]), z), expected, TOL);
        await assertClose(vae.logLikelihood(tf.tensor3d(xs, [6, 1, D]), z), expected, TOL);
      });
      vae.dispose();
    }
  });

  it('the training loss of a learned variance composes β and free bits through negativeElbo', async () => {
    const vae = learnedAt(-0.4);
    const config = { beta: 0.5, freeBits: 0.3 };
    const model = new Vae({ ...vae.config, ...config });
    const weights = vae.getWeights();
    model.setWeights(weights);
    tf.dispose(Object.values(weights));
    // ε the loss will draw: the training stream's next normals, from a copy of its state.
    const eps = Rng.fromState(model.noiseState.train).normalArray(6 * K);
    await tidyAsync(async () => {
      const x = tf.tensor2d(xs, [6, D]);
      const { mu, logVar } = model.posterior(x);
      const [m, v] = [rowsOf(await mu.data(), K), rowsOf(await logVar.data(), K)];
      const z = m.map((row, b) => row.map((mj, j) => mj + Math.exp(0.5 * v[b]![j]!) * eps[b * K + j]!));
      const f = await decoder64(model);
      const rec = -z.reduce((s, zb, b) => s + gaussianLl(Math.exp(-0.4))(rowsOf(xs, D)[b]!, f(zb)), 0) / 6;
      const klDim = (j: number) =>
        m.reduce((s, row, b) => s - 0.5 * (1 + v[b]![j]! - row[j]! ** 2 - Math.exp(v[b]![j]!)), 0) / 6;
      const klTerm = [0, 1, 2].reduce((s, j) => s + Math.max(config.freeBits, klDim(j)), 0);
      const t = model.loss(x, { step: 0, training: true });
      await assertClose(t.reconstruction, rec, { ...TOL, atol: webgl ? 1e-2 : 1e-3 });
      await assertClose(t.kl!, klTerm, TOL);
      await assertClose(t.total, rec + config.beta * klTerm, { ...TOL, atol: webgl ? 1e-2 : 1e-3 });
    });
    vae.dispose();
    model.dispose();
  });

  it('decoderReadout factors f(z) = hidden(z)·W + b with the model’s own variables; null for conv', async () => {
    const vae = new Vae(base);
    const r = vae.decoderReadout!;
    expect(r.w.shape).toEqual([H, D]);
    expect(r.b.shape).toEqual([D]);
    await tidyAsync(async () => {
      const z = tf.tensor2d(zs, [6, K]);
      await assertClose(tf.add(tf.matMul(r.hidden(z), r.w), r.b), vae.decodeLogits(z), { atol: 1e-5 });
    });
    const linear = new Vae({ ...base, hiddenUnits: [] });
    await tidyAsync(async () => {
      const z = tf.tensor2d(zs, [6, K]);
      await assertClose(linear.decoderReadout!.hidden(z), z, { atol: 0 });
    });
    const conv = new Vae({
      architecture: 'conv',
      inputShape: [8, 8, 1],
      convFilters: [2],
      hiddenUnits: [4],
      latentDim: 2,
    });
    expect(conv.decoderReadout).toBeNull();
    for (const m of [vae, linear, conv]) m.dispose();
  });

  it('leaks nothing: each seam returns exactly its one tensor, the readout none', async () => {
    const vae = new Vae({ ...base, decoder: 'gaussian', decoderVariance: 'learned' });
    const x = tf.tensor2d(xs, [6, D]);
    const z = tf.tensor2d(zs, [6, K]);
    (await assertNoLeaks(() => vae.decodeLogits(z), 1)).dispose();
    (await assertNoLeaks(() => vae.logLikelihood(x, z), 1)).dispose();
    const g = await assertNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(vae.logLikelihood(t, z)))(x), 1);
    g.dispose();
    const bern = new Vae(base);
    const r = await assertNoLeaks(() => bern.decoderReadout, 0);
    (await assertNoLeaks(() => r!.hidden(z), 1)).dispose();
    tf.dispose([x, z]);
    vae.dispose();
    bern.dispose();
  });

  it('refuses wrong inputs with typed errors naming the method, and a disposed model', () => {
    const vae = new Vae(base);
    tf.tidy(() => {
      const z = tf.tensor2d(zs, [6, K]);
      expect(() => vae.decodeLogits(tf.zeros([6, K + 1]))).toThrow(ShapeError);
      expect(() => vae.logLikelihood(tf.zeros([6, D + 1]), z)).toThrow(/^Error in Vae\.logLikelihood: /);
      expect(() => vae.logLikelihood(tf.zeros([5, D]), z)).toThrow(ShapeError);
      expect(() => vae.logLikelihood(tf.zeros([6, D]), tf.zeros([6, K + 1]) as tf.Tensor2D)).toThrow(ShapeError);
      expect(() => vae.logLikelihood(tf.zeros([6 * D]), z)).toThrow(ShapeError);
      expect(() => vae.logLikelihood([1, 2] as unknown as tf.Tensor, z)).toThrow(ValueError);
    });
    vae.dispose();
    expect(() => vae.decoderReadout).toThrow(/Vae\.decoderReadout/);
    expect(() => vae.logLikelihood(tf.zeros([1, D]), tf.zeros([1, K]) as tf.Tensor2D)).toThrow(/Vae\.logLikelihood/);
  });
});
