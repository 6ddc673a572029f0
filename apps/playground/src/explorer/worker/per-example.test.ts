import '@tensorflow/tfjs-backend-cpu';
import { assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import { Autoencoder, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBABILITY_EPS, perExample } from './per-example.js';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

const [n, d, k] = [5, 12, 3];
const x = () => tf.tensor2d(seededUniforms(n * d, 3), [n, d]);

/** −Σ_i [x log p + (1 − x) log(1 − p)] per row in float64, p clipped to [ε, 1 − ε]. */
function bce(xs: Float32Array, ps: Float32Array): number[] {
  return Array.from({ length: n }, (_, b) => {
    let s = 0;
    for (let i = 0; i < d; i++) {
      const p = Math.min(1 - PROBABILITY_EPS, Math.max(PROBABILITY_EPS, ps[b * d + i]!));
      const v = xs[b * d + i]!;
      s -= v * Math.log(p) + (1 - v) * Math.log(1 - p);
    }
    return s;
  });
}

describe('perExample', () => {
  it('VAE: loss = BCE(x, decode(μ)) + KL(N(μ, σ²) ‖ N(0, I)) per example, codes = μ, no leaks', async () => {
    const vae = new Vae({ inputShape: [d], latentDim: k, hiddenUnits: [8], seed: 1 });
    const input = x();
    const out = await assertNoLeaks(() => perExample(vae, input, true));
    const { mu, logVar } = vae.posterior(input);
    const p = vae.decode(mu);
    const [xs, mus, lvs, ps] = [input, mu, logVar, p].map((t) => t.dataSync() as Float32Array);
    const klRef = Array.from({ length: n }, (_, b) => {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const [m, lv] = [mus![b * k + j]!, lvs![b * k + j]!];
        s += -0.5 * (1 + lv - m * m - Math.exp(lv));
      }
      return s;
    });
    const recRef = bce(xs!, ps!);
    expect(Array.from(out.z)).toEqual(Array.from(mus!));
    for (let b = 0; b < n; b++) {
      expect(out.kl![b]).toBeCloseTo(klRef[b]!, 4);
      // float32 sums of 12 terms of size ≈ 1: relative 1e-5.
      expect(Math.abs(out.loss[b]! - (recRef[b]! + klRef[b]!))).toBeLessThan(1e-5 * (recRef[b]! + klRef[b]!) + 1e-5);
    }
    tf.dispose([input, mu, logVar, p]);
    vae.dispose();
  });

  it('autoencoder: squared error per example, no KL', async () => {
    const ae = new Autoencoder({
      inputShape: [d],
      latentDim: k,
      architecture: 'linear',
      reconstruction: 'mse',
      seed: 2,
    });
    const input = x();
    const out = await assertNoLeaks(() => perExample(ae, input, false));
    const xHat = ae.decode(ae.encode(input));
    const [xs, hs] = [input, xHat].map((t) => t.dataSync() as Float32Array);
    expect(out.kl).toBeNull();
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (xs![b * d + i]! - hs![b * d + i]!) ** 2;
      expect(out.loss[b]).toBeCloseTo(s, 4);
    }
    tf.dispose([input, xHat]);
    ae.dispose();
  });
});
