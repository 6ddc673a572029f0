// The CLI's autoencoders use the likelihood the VAE would: on images the loss of a batch is the Bernoulli NLL
// (1/B) Σ_b Σ_j −[x log x̂ + (1 − x) log(1 − x̂)] of the reconstruction x̂ = decode(encode(x)); on CSV features the
// mean squared error (1/(B·d)) Σ (x − x̂)². Both computed here in float64 from the model's own reconstruction.
import type { Autoencoder } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';

const [B, D] = [5, 12];
const x = Float32Array.from({ length: B * D }, (_, i) => (Math.sin(i * 0.9) + 1) / 2);

function lossAndReconstruction(decoder: 'bernoulli' | 'gaussian', model: 'ae' | 'linear-ae') {
  const ae = buildModel({ model, inputSize: D, latent: 2, hidden: [6], beta: 1, seed: 1, decoder }) as Autoencoder;
  const input = tf.tensor2d(x, [B, D]);
  const loss = tf.tidy(() => ae.loss(input, { step: 0, training: false }).total.dataSync()[0]!);
  const out = tf.tidy(() => ae.decode(ae.encode(input)));
  const xHat = Float64Array.from(out.dataSync());
  out.dispose();
  input.dispose();
  ae.dispose();
  return { loss, xHat };
}

describe('buildModel', () => {
  for (const model of ['ae', 'linear-ae'] as const) {
    it(`${model}: Bernoulli NLL per image on images, mean squared error on CSV features`, () => {
      const bernoulli = lossAndReconstruction('bernoulli', model);
      let nll = 0;
      for (let i = 0; i < B * D; i++) {
        const p = bernoulli.xHat[i]!;
        nll -= x[i]! * Math.log(p) + (1 - x[i]!) * Math.log(1 - p);
      }
      expect(bernoulli.loss).toBeCloseTo(nll / B, 3);
      const gaussian = lossAndReconstruction('gaussian', model);
      let se = 0;
      for (let i = 0; i < B * D; i++) se += (x[i]! - gaussian.xHat[i]!) ** 2;
      expect(gaussian.loss).toBeCloseTo(se / (B * D), 5);
    });
  }
});
