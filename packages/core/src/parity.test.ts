/**
 * Cross-backend parity: each function of core on identical, seeded inputs on two backends.
 * Each project compares its own backend with a reference it registers itself (as an application would):
 * cpu against wasm, wasm against cpu, webgl and webgpu against cpu. Correctness against the formulas is in each
 * function's own test; this file checks that no backend's kernels drift from another's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from './backend-runtime.js';
import { bernoulliNll } from './bernoulli-nll.js';
import { diagonalGaussianKl } from './diagonal-gaussian-kl.js';
import { gaussianKl, gaussianKlPerDim } from './gaussian-kl.js';
import { gaussianNll } from './gaussian-nll.js';
import { diagonalGaussianLogDensity } from './log-density.js';
import { negativeElbo } from './negative-elbo.js';
import { createRng } from './random.js';
import { reparameterize } from './reparameterize.js';
import { batchMean, meanSquaredError, sumSquaredError } from './squared-error.js';
import { assertClose, assertNoLeaks } from './testing/index.js';
import { seededRandom } from './testing/seeded-uniforms.js';

const active = tf.getBackend() as BackendName;
const reference: BackendName = active === 'cpu' ? 'wasm' : 'cpu';
// cpu and wasm both compute in IEEE float32 with correctly rounded arithmetic and libm-grade exp/log: 1e-4.
// WebGL runs exp/log in GLSL (SwiftShader here) with looser accuracy and its own summation order: 1e-3.
const TOL = ['webgl', 'webgpu'].includes(active) ? 1e-3 : 1e-4;

/** Seeded inputs from the testing helper's mulberry32, independent of core's own Rng. */
function seeded(seed: number) {
  const next = seededRandom(seed);
  return {
    uniform: (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next()),
    // Box–Muller in float64, rounded to float32.
    normal: (n: number, sd = 1) =>
      Float32Array.from(
        { length: n },
        () => sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
      ),
    bits: (n: number) => Float32Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)),
  };
}

/** Writes `extremes` over the first values, so every run includes them. */
const withExtremes = (values: Float32Array, extremes: number[]) => {
  values.set(extremes);
  return values;
};

const B = 8; // batch
const D = 16; // features
const L = 6; // latent dimensions
const K = 4; // samples per example
const rand = seeded(20240611);
const INPUTS = {
  // Binary pixels with a few grey levels.
  x: withExtremes(rand.bits(B * D), [0.5, 0.25, 1, 0]),
  logits: withExtremes(rand.normal(B * D, 4), [30, -30, 0, 30, -30]),
  mean: rand.uniform(B * D, -0.5, 1.5),
  mu: withExtremes(rand.normal(B * L, 2), [5, -5, 0]),
  logVar: withExtremes(rand.uniform(B * L, -10, 10), [10, -10, 0, 10, -10]),
  mu2: withExtremes(rand.normal(B * L, 1), [-5, 5]),
  logVar2: withExtremes(rand.uniform(B * L, -10, 10), [-10, 10, 0, 10]),
  eps: rand.normal(B * L),
  z: rand.normal(K * B * L, 3),
};
const SHAPES: Record<keyof typeof INPUTS, number[]> = {
  x: [B, D],
  logits: [B, D],
  mean: [B, D],
  mu: [B, L],
  logVar: [B, L],
  mu2: [B, L],
  logVar2: [B, L],
  eps: [B, L],
  z: [K, B, L],
};
type Inputs = { [name in Exclude<keyof typeof INPUTS, 'z'>]: tf.Tensor2D } & { z: tf.Tensor3D };
type Compute = (t: Inputs) => tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** The backend instance holding a tensor's data (tfjs-core `engine.ts` keeps it in `state.tensorInfo`). */
const holder = (t: tf.Tensor) => tf.engine().state.tensorInfo.get(t.dataId)?.backend;

/** Runs `compute` on `name` with freshly created inputs and returns copies of its outputs' values. */
async function computeOn(name: BackendName, compute: Compute): Promise<Float32Array[]> {
  await tf.setBackend(name);
  expect(tf.getBackend()).toBe(name);
  return assertNoLeaks(
    async () => {
      const outs = tf.tidy(() => {
        const t = Object.fromEntries(
          Object.entries(INPUTS).map(([k, v]) => [k, tf.tensor<tf.Rank>(v, SHAPES[k as keyof typeof INPUTS])]),
        ) as Inputs;
        const out = compute(t);
        return out instanceof tf.Tensor ? [out] : Object.values(out);
      });
      outs.forEach((o) => {
        expect(holder(o)).toBe(tf.findBackend(name));
      });
      const values = await Promise.all(outs.map((o) => o.data()));
      tf.dispose(outs);
      return values.map((v) => Float32Array.from(v as Float32Array));
    },
    0,
    `computing on ${name}`,
  );
}

/** Asserts `compute` agrees on the project's backend and the reference backend within TOL (absolute + relative). */
async function expectParity(label: string, compute: Compute) {
  const got = await computeOn(active, compute);
  const expected = await computeOn(reference, compute);
  await tf.setBackend(active);
  expect(got.map((g) => g.length)).toEqual(expected.map((e) => e.length));
  for (const [i, g] of got.entries()) {
    await assertClose(g, expected[i]!, { atol: TOL, rtol: TOL, label: `${label} #${i}: ${active} vs ${reference}` });
  }
}

beforeAll(async () => {
  // Register and initialise the reference backend, as an application would: through its package.
  if (reference === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  expect(await tf.setBackend(reference)).toBe(true);
  await tf.setBackend(active);
});

afterEach(async () => {
  await tf.setBackend(active);
});

describe(`parity: ${active} against ${reference} (tolerance ${TOL})`, () => {
  it('computes on two different backends', () => {
    expect(reference).not.toBe(active);
    expect(tf.findBackend(reference)).not.toBeNull();
  });

  it('gaussianKl and gaussianKlPerDim', async () => {
    await expectParity('gaussianKl', ({ mu, logVar }) => [gaussianKl(mu, logVar), gaussianKlPerDim(mu, logVar)]);
  });

  it('diagonalGaussianKl', async () => {
    await expectParity('diagonalGaussianKl', ({ mu, logVar, mu2, logVar2 }) => [
      diagonalGaussianKl(mu, logVar, mu2, logVar2),
      diagonalGaussianKl(mu2, logVar2, mu, logVar),
    ]);
  });

  it('bernoulliNll (logits ±30 included)', async () => {
    await expectParity('bernoulliNll', ({ x, logits }) => bernoulliNll(x, logits));
  });

  it('gaussianNll and the squared errors', async () => {
    await expectParity('gaussianNll', ({ x, mean }) => [
      gaussianNll(x, mean, 0.5),
      gaussianNll(x, mean, 1e-2),
      sumSquaredError(x, mean),
      meanSquaredError(x, mean),
      batchMean(sumSquaredError(x, mean)),
    ]);
  });

  it('negativeElbo, Bernoulli and Gaussian decoders, with β and free bits', async () => {
    await expectParity('negativeElbo', ({ x, logits, mean, mu, logVar }) => [
      ...Object.values(negativeElbo(x, logits, mu, logVar)),
      ...Object.values(negativeElbo(x, logits, mu, logVar, { beta: 0.5, freeBits: 2 })),
      ...Object.values(negativeElbo(x, mean, mu, logVar, { decoder: 'gaussian', c: 0.1 })),
      ...Object.values(negativeElbo(x, mean, mu, logVar, { decoder: 'gaussian', C: 100 })),
    ]);
  });

  it('reparameterize with explicit eps', async () => {
    await expectParity('reparameterize', ({ mu, logVar, eps }) => reparameterize(mu, logVar, eps));
  });

  it('diagonalGaussianLogDensity, z [K, batch, latentDim] against mu, logVar [batch, latentDim]', async () => {
    await expectParity('diagonalGaussianLogDensity', ({ z, mu, logVar }) => [
      diagonalGaussianLogDensity(z, mu, logVar),
      diagonalGaussianLogDensity(mu, mu, logVar), // at the mean: −½ Σ (log 2π + logVar)
    ]);
  });

  it('createRng: the same seed gives bit-identical samples on both backends', async () => {
    const draw = () => {
      const rng = createRng(7);
      return [rng.normal([64, 8]), rng.uniform([32], -3, 3), rng.fork().normal([5])];
    };
    const got = await computeOn(active, draw);
    const expected = await computeOn(reference, draw);
    expect(got.map((g) => [...new Uint32Array(g.buffer)])).toEqual(expected.map((e) => [...new Uint32Array(e.buffer)]));
    // And a reparameterised sample drawn from it agrees within tolerance.
    await expectParity('reparameterize(rng)', ({ mu, logVar }) => reparameterize(mu, logVar, createRng(11)));
  });

  it('gradients of bernoulliNll (w.r.t. logits) and gaussianKl (w.r.t. mu and logVar)', async () => {
    await expectParity('gradients', ({ x, logits, mu, logVar }) => [
      tf.grad((l: tf.Tensor) => tf.sum(bernoulliNll(x, l)))(logits),
      ...tf.grads((m: tf.Tensor, v: tf.Tensor) => tf.sum(gaussianKl(m as tf.Tensor2D, v as tf.Tensor2D)))([mu, logVar]),
    ]);
  });
});
