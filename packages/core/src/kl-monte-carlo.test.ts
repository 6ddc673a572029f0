import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gaussianKl } from './gaussian-kl.js';
import { diagonalGaussianLogDensity, standardNormalLogDensity } from './log-density.js';
import { createRng } from './random.js';
import { sampleDiagonalGaussian } from './reparameterize.js';

// The closed-form KL of gaussian-kl.ts against its definition, estimated by sampling:
//     KL(q ‖ p) = E_{z~q}[ log q(z) − log p(z) ],  q = N(μ, diag(exp(logVar))), p = N(0, I).
describe('gaussianKl vs a Monte Carlo estimate of E_q[log q(z) − log p(z)]', () => {
  it('agrees within 3 standard errors (SE from the samples) for every example', async () => {
    const mu = tf.tensor2d([
      [0, 0, 0],
      [1, -0.5, 2],
      [0.3, 0.1, -1],
      [-2, 1.5, 0.5],
    ]);
    const logVar = tf.tensor2d([
      [0, 0, 0], // KL = 0 exactly: every sample gives log q − log p = 0
      [0, 0.5, -0.5],
      [-2, 1, 0.2],
      [1.5, -1, -3],
    ]);
    const n = 20_000;
    const [dT, klT] = tf.tidy(() => {
      const z = sampleDiagonalGaussian(mu, logVar, createRng(31), n); // [n, batch, latentDim]
      const d = tf.sub(diagonalGaussianLogDensity(z, mu, logVar), standardNormalLogDensity(z)); // [n, batch]
      return [d, gaussianKl(mu, logVar)];
    });
    const [diffs, kl] = [(await dT.array()) as number[][], (await klT.array()) as number[]];
    tf.dispose([dT, klT]);
    for (let b = 0; b < kl.length; b++) {
      const xs = diffs.map((row) => row[b]!);
      const mean = xs.reduce((a, x) => a + x, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
      const se = sd / Math.sqrt(n);
      // Example 0 has zero variance: only float32 rounding of the two log-densities separates them.
      expect(Math.abs(mean - kl[b]!), `example ${b}: MC ${mean} ± ${se}, analytic ${kl[b]}`).toBeLessThanOrEqual(
        3 * se + 1e-5,
      );
      if (b > 0) expect(se).toBeGreaterThan(0);
    }
    tf.dispose([mu, logVar]);
  });
});
