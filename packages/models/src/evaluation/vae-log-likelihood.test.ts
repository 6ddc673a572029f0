import { createRng, importanceWeightedLogLikelihood } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { VaeConfig } from '../config.js';
import { Vae } from '../vae.js';
import { vaeLogLikelihood } from './vae-log-likelihood.js';

const act64: Record<string, (v: number) => number> = {
  relu: (v) => Math.max(v, 0),
  tanh: Math.tanh,
  elu: (v) => (v > 0 ? v : Math.expm1(v)),
};

/**
 * log p(x_b|z_kb) in float64 from the VAE's weights, written out: the MLP decoder h_l = act(h_{l−1}·W_l + b_l),
 * a linear last layer, then Bernoulli Σ_d x_d l_d − softplus(l_d) or Gaussian −‖x − f‖²/(2c) − (d/2) log 2πc.
 */
async function reference(vae: Vae, x: number[][], z: number[][][]): Promise<number[][]> {
  const weights = vae.getWeights();
  const layers: { w: Float32Array; b: Float32Array; n: number; m: number }[] = [];
  for (let l = 0; `decoder/${l}/w` in weights; l++) {
    const w = weights[`decoder/${l}/w`]!;
    layers.push({
      w: (await w.data()) as Float32Array,
      b: (await weights[`decoder/${l}/b`]!.data()) as Float32Array,
      n: w.shape[0]!,
      m: w.shape[1]!,
    });
  }
  tf.dispose(Object.values(weights));
  const c = await vae.decoderVariance();
  return z.map((zk) =>
    zk.map((zkb, b) => {
      let h = zkb;
      layers.forEach(({ w, b: bias, n, m }, l) => {
        const next = Array.from({ length: m }, (_, j) => {
          let s = bias[j]!;
          for (let i = 0; i < n; i++) s += h[i]! * w[i * m + j]!;
          return l < layers.length - 1 ? act64[vae.config.activation]!(s) : s;
        });
        h = next;
      });
      const xb = x[b]!;
      if (c === null)
        return h.reduce((s, l, d) => s + xb[d]! * l - Math.max(l, 0) - Math.log1p(Math.exp(-Math.abs(l))), 0);
      const sq = h.reduce((s, f, d) => s + (xb[d]! - f) ** 2, 0);
      return -sq / (2 * c) - (h.length / 2) * Math.log(2 * Math.PI * c);
    }),
  );
}

function data(kc: number, batch: number, d: number, latentDim: number, seed: number) {
  const rng = createRng(seed);
  const u = rng.uniformArray(batch * d);
  const x = Array.from({ length: batch }, (_, b) => Array.from(u.slice(b * d, (b + 1) * d)));
  const n = rng.normalArray(kc * batch * latentDim);
  const z = Array.from({ length: kc }, (_, k) =>
    Array.from({ length: batch }, (_, b) =>
      Array.from(n.slice((k * batch + b) * latentDim, (k * batch + b + 1) * latentDim)),
    ),
  );
  return { x, z };
}

/**
 * Decoder weights × 4: logits reach ±20, so the softplus sum is really exercised, and p(z|x) is much narrower than
 * q(z|x) of the untrained encoder, so importance weighting has a lot to gain.
 */
function sharpened(vae: Vae): Vae {
  const weights = vae.getWeights();
  const scaled = tf.tidy(() =>
    Object.fromEntries(
      Object.entries(weights).map(([n, w]) => [n, n.startsWith('decoder') ? tf.mul(w, 4) : tf.clone(w)]),
    ),
  );
  vae.setWeights(scaled);
  tf.dispose([...Object.values(weights), ...Object.values(scaled)]);
  return vae;
}

const configs: [string, Partial<VaeConfig>][] = [
  ['Bernoulli MLP 12-9-3, relu (the fast path)', { inputShape: [12], hiddenUnits: [9], latentDim: 3 }],
  [
    'Bernoulli MLP 12-9-7-3, tanh (two hidden layers)',
    { inputShape: [12], hiddenUnits: [9, 7], latentDim: 3, activation: 'tanh' },
  ],
  ['Bernoulli MLP 12-3, no hidden layer', { inputShape: [12], hiddenUnits: [], latentDim: 3, activation: 'elu' }],
  [
    'Gaussian MLP 12-9-3, c = 0.3 (broadcast path)',
    { inputShape: [12], hiddenUnits: [9], latentDim: 3, decoder: 'gaussian', decoderVariance: 0.3 },
  ],
  [
    'Gaussian MLP 12-9-3, learned c (Vae.logLikelihood with the current c)',
    { inputShape: [12], hiddenUnits: [9], latentDim: 3, decoder: 'gaussian', decoderVariance: 'learned' },
  ],
];

describe('vaeLogLikelihood', () => {
  it.each(configs)('%s: both forms equal the float64 formula', async (_, config) => {
    const vae = sharpened(new Vae({ ...config, seed: 3 }));
    const [kc, batch, d, latentDim] = [5, 4, 12, 3];
    const { x, z } = data(kc, batch, d, latentDim, 1);
    const expected = await reference(vae, x, z);
    const p = vaeLogLikelihood(vae);
    const xt = tf.tensor2d(x);
    const zt = tf.tensor3d(z);
    const samples = await assertNoLeaks(async () => {
      const t = p.logLikelihoodSamples(xt, zt);
      const v = await t.array();
      t.dispose();
      return v;
    });
    const rows = tf.tidy(() =>
      p.logLikelihood(
        tf.concat(Array.from({ length: kc }, () => xt)),
        tf.reshape(zt, [kc * batch, latentDim]) as tf.Tensor2D,
      ),
    );
    // Terms of magnitude ~10²: float32 sums, rtol 1e-5 (webgl's transcendental functions: 1e-4).
    const tol = tf.getBackend() === 'webgl' ? { atol: 1e-2, rtol: 1e-4 } : { atol: 1e-3, rtol: 1e-5 };
    await assertClose(samples.flat(), expected.flat(), { ...tol, label: 'logLikelihoodSamples' });
    await assertClose(await rows.data(), expected.flat(), { ...tol, label: 'logLikelihood' });
    expect(samples.length).toBe(kc);
    tf.dispose([xt, zt, rows]);
    p.dispose();
    vae.dispose();
  });

  it('conv decoder: the broadcast form equals the row form', async () => {
    const vae = new Vae({
      architecture: 'conv',
      inputShape: [8, 8, 1],
      convFilters: [4],
      hiddenUnits: [6],
      latentDim: 2,
      seed: 1,
    });
    const { x, z } = data(3, 2, 64, 2, 5);
    const p = vaeLogLikelihood(vae);
    const xt = tf.tensor4d(x.flat(), [2, 8, 8, 1]);
    const zt = tf.tensor3d(z);
    const samples = await assertNoLeaks(async () => {
      const t = p.logLikelihoodSamples(xt, zt);
      const v = await t.data();
      t.dispose();
      return v;
    });
    const rows = tf.tidy(() => p.logLikelihood(tf.concat([xt, xt, xt]), tf.reshape(zt, [6, 2]) as tf.Tensor2D));
    const tol = tf.getBackend() === 'webgl' ? { atol: 1e-2, rtol: 1e-4 } : { atol: 1e-3, rtol: 1e-5 };
    await assertClose(samples, await rows.data(), tol);
    tf.dispose([xt, zt, rows]);
    p.dispose();
    vae.dispose();
  });

  it('IWAE through the fast path equals IWAE through rows (same seed), and rises with K from the one-sample ELBO', async () => {
    const vae = sharpened(new Vae({ inputShape: [12], hiddenUnits: [9], latentDim: 3, seed: 2 }));
    const { x } = data(1, 64, 12, 3, 9);
    const xt = tf.tensor2d(x.map((r) => r.map((v) => (v > 0.5 ? 1 : 0))));
    const p = vaeLogLikelihood(vae);
    const encode = (t: tf.Tensor) => vae.posterior(t);
    const fast = await assertNoLeaks(() =>
      importanceWeightedLogLikelihood(xt, { encode, ...p }, { k: 50, chunkSize: 16, rng: createRng(4) }),
    );
    const slow = await importanceWeightedLogLikelihood(
      xt,
      { encode, logLikelihood: p.logLikelihood },
      { k: 50, chunkSize: 16, rng: createRng(4) },
    );
    const atol = tf.getBackend() === 'webgl' ? 1e-2 : 1e-3;
    await assertClose(fast.logPx, slow.logPx, { atol, rtol: 1e-5 });
    await assertClose(fast.ess, slow.ess, { atol: 1e-2, rtol: 1e-3 });
    // Paired over the same 64 examples (SE: standard error of the paired differences): K = 50 and K = 1000 beat
    // K = 1 (a one-sample ELBO) by more than 3 SE; K = 1000 is not below K = 50 beyond 3 SE (Burda et al. Thm 1).
    const k1 = await importanceWeightedLogLikelihood(xt, { encode, ...p }, { k: 1, rng: createRng(5) });
    const k1000 = await importanceWeightedLogLikelihood(xt, { encode, ...p }, { k: 1000, rng: createRng(6) });
    const gain = (lo: Float32Array, hi: Float32Array) => {
      const diff = Array.from(hi, (v, b) => v - lo[b]!);
      const mean = diff.reduce((a, v) => a + v, 0) / diff.length;
      const se = Math.sqrt(diff.reduce((a, v) => a + (v - mean) ** 2, 0) / (diff.length - 1) / diff.length);
      return { mean, se };
    };
    for (const g of [gain(k1.logPx, fast.logPx), gain(k1.logPx, k1000.logPx)]) {
      expect(g.mean, `gain ${g.mean} ± ${g.se}`).toBeGreaterThan(3 * g.se);
    }
    const g = gain(fast.logPx, k1000.logPx);
    expect(g.mean, `gain ${g.mean} ± ${g.se}`).toBeGreaterThan(-3 * g.se);
    p.dispose();
    xt.dispose();
    vae.dispose();
  });

  it('reads the model’s current weights (no copy): setWeights after creation is seen, dispose leaves the model', async () => {
    const vae = new Vae({ inputShape: [12], hiddenUnits: [9], latentDim: 3, seed: 7 });
    const p = vaeLogLikelihood(vae);
    sharpened(vae);
    const { x, z } = data(2, 3, 12, 3, 11);
    const expected = await reference(vae, x, z);
    const t = tf.tidy(() => p.logLikelihoodSamples(tf.tensor2d(x), tf.tensor3d(z)));
    const tol = tf.getBackend() === 'webgl' ? { atol: 1e-2, rtol: 1e-4 } : { atol: 1e-3, rtol: 1e-5 };
    await assertClose(await t.data(), expected.flat(), tol);
    t.dispose();
    p.dispose();
    expect(vae.weightNames.length).toBeGreaterThan(0);
    tf.tidy(() => {
      expect(vae.decode(tf.zeros([1, 3])).shape).toEqual([1, 12]);
    });
    vae.dispose();
  });

  it('leaves no tensors behind once disposed', async () => {
    await assertNoLeaks(() => {
      const vae = new Vae({ inputShape: [6], hiddenUnits: [4], latentDim: 2 });
      vaeLogLikelihood(vae).dispose();
      vae.dispose();
    });
  });
});
