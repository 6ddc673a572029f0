import { createRng, ShapeError, ValueError } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import { createDataset, type Dataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VAE_CONFIG } from './config.js';
import { interpolateLatents, Vae } from './vae.js';

/** n 8×8 images in [0, 1] (flattened or [8, 8, 1]): one random row and one random column lit ("bars"). */
function bars(n: number, seed: number, image = false): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(rng.nextFloat() * 8);
    const c = Math.floor(rng.nextFloat() * 8);
    for (let p = 0; p < 64; p++) x[i * 64 + p] = Math.floor(p / 8) === r || p % 8 === c ? 1 : 0;
  }
  return createDataset({ name: 'bars', x, shape: image ? [n, 8, 8, 1] : [n, 64] });
}

const small = { inputShape: [64], hiddenUnits: [32], latentDim: 4 };
const batchOf = (ds: Dataset, n: number) => tf.tensor2d(ds.x.slice(0, n * 64), [n, 64]);

describe('Vae configuration', () => {
  it('defaults to the pytorch/examples model, frozen', () => {
    expect(Object.isFrozen(DEFAULT_VAE_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_VAE_CONFIG.hiddenUnits)).toBe(true);
    const vae = new Vae({ latentDim: 3 });
    expect(vae.config).toMatchObject({ inputShape: [784], hiddenUnits: [400], latentDim: 3, beta: 1 });
    expect(Object.isFrozen(vae.config)).toBe(true);
    vae.dispose();
  });

  it.each([
    [{ latentDim: 0 }, /Error in Vae: latentDim is out of range: expected an integer ≥ 1, found 0/],
    [
      { decoder: 'gaussian' as const, decoderVariance: 0 },
      /decoderVariance \(c\) is out of range: expected a finite number > 0, found 0/,
    ],
    [{ beta: Number.NaN }, /beta is out of range/],
    [{ freeBits: -1 }, /freeBits is out of range: expected a finite number ≥ 0/],
    [{ klWarmupSteps: 1.5 }, /klWarmupSteps/],
    [{ architecture: 'conv' as const }, /'conv' model needs an image input shape/],
    [{ hiddenUnits: [0] }, /hiddenUnits is invalid/],
    [{ activation: 'gelu' as 'relu' }, /unknown activation/],
  ])('rejects %j with a ValueError before building anything', (config, message) => {
    const before = tf.memory().numTensors;
    expect(() => new Vae(config)).toThrow(ValueError);
    expect(() => new Vae(config)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Vae', () => {
  it('MLP, Bernoulli: learns bars (test negative ELBO falls to ≤ 50 % of the untrained model’s)', async () => {
    const train = bars(512, 1);
    const test = bars(128, 2);
    const vae = new Vae({ ...small, seed: 1 });
    const before = await vae.evaluate(test);
    const { history } = await vae.fit(train, {
      epochs: 30,
      batchSize: 32,
      validationData: test,
      optimizer: { name: 'adam', learningRate: 1e-2 },
    });
    const after = history.at(-1)!.validation!;
    expect(after.loss).toBeLessThanOrEqual(0.5 * before.loss);
    // Reconstruction and KL are reported apart and add up to the negative ELBO.
    expect(after.loss).toBeCloseTo(after.reconstruction + after.kl!, 4);
    expect(after.kl!).toBeGreaterThan(0.5);
    vae.dispose();
  });

  it('conv, Bernoulli: learns 8×8 bars (negative ELBO falls to ≤ 70 %) and keeps image shapes', async () => {
    const train = bars(256, 3, true);
    const vae = new Vae({
      architecture: 'conv',
      inputShape: [8, 8, 1],
      convFilters: [8, 8],
      hiddenUnits: [32],
      latentDim: 4,
      activation: 'elu',
      seed: 2,
    });
    const before = await vae.evaluate(train);
    await vae.fit(train, { epochs: 20, batchSize: 32, optimizer: { name: 'adam', learningRate: 1e-2 } });
    const after = await vae.evaluate(train);
    // ELU: with ReLU this small model loses most units and ends near the per-pixel marginal (≈ 35 nats).
    expect(after.loss).toBeLessThanOrEqual(0.7 * before.loss);
    const x = tf.tensor4d(train.x.slice(0, 3 * 64), [3, 8, 8, 1]);
    const out = vae.reconstruct(x);
    const samples = vae.sample(2);
    expect([out.shape, samples.shape]).toEqual([
      [3, 8, 8, 1],
      [2, 8, 8, 1],
    ]);
    tf.dispose([x, out, samples]);
    vae.dispose();
  });

  it('shapes: posterior, encode (= μ), decode, reconstruct (= decode(μ)), sample; no leaks', async () => {
    const vae = new Vae(small);
    const x = batchOf(bars(5, 4), 5);
    const { mu, logVar } = await assertNoLeaks(() => vae.posterior(x), 2);
    const z = await assertNoLeaks(() => vae.encode(x), 1);
    const xHat = await assertNoLeaks(() => vae.decode(z), 1);
    const r = await assertNoLeaks(() => vae.reconstruct(x), 1);
    const s = await assertNoLeaks(() => vae.sample(7), 1);
    expect([mu.shape, logVar.shape, z.shape, xHat.shape, r.shape, s.shape]).toEqual([
      [5, 4],
      [5, 4],
      [5, 4],
      [5, 64],
      [5, 64],
      [7, 64],
    ]);
    expect(Array.from(await z.data())).toEqual(Array.from(await mu.data()));
    expect(Array.from(await r.data())).toEqual(Array.from(await xHat.data()));
    expect((await s.data()).every((p) => p > 0 && p < 1)).toBe(true); // Bernoulli means
    expect(() => vae.encode(tf.ones([2, 63]))).toThrow(ShapeError);
    expect(() => vae.decode(tf.ones([2, 5]))).toThrow(
      /Vae\.decode: z does not fit the latent space: expected \[batch ≥ 1, 4\], found \[2, 5\]/,
    );
    expect(() => vae.sample(0)).toThrow(ValueError);
    tf.dispose([x, mu, logVar, z, xHat, r, s]);
    vae.dispose();
    expect(() => vae.encode(x)).toThrow(/the model was disposed/);
  });

  it('sample(n, rng) is reproducible from the rng seed', () => {
    const vae = new Vae(small);
    const a = vae.sample(3, createRng(5));
    const b = vae.sample(3, createRng(5));
    const c = vae.sample(3, createRng(6));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, c]);
    vae.dispose();
  });

  it('β with KL warm-up and free bits enter the training loss as total = recon + β_t·KL term', () => {
    const x = batchOf(bars(16, 5), 16);
    const vae = new Vae({ ...small, beta: 4, klWarmupSteps: 10 });
    for (const [step, beta] of [
      [0, 0],
      [5, 2],
      [10, 4],
      [50, 4],
    ] as const) {
      tf.tidy(() => {
        const t = vae.loss(x, { step, training: true });
        const [total, recon, kl] = [t.total, t.reconstruction, t.kl!].map((s) => s.dataSync()[0]!);
        expect(total).toBeCloseTo(recon! + beta * kl!, 3);
      });
    }
    // Evaluation: β = 1 whatever the config.
    tf.tidy(() => {
      const t = vae.loss(x, { step: 0, training: false });
      expect(t.total.dataSync()[0]).toBeCloseTo(t.reconstruction.dataSync()[0]! + t.kl!.dataSync()[0]!, 3);
    });
    vae.dispose();
    // Free bits λ = 3 nats per dimension: at initialisation every dimension's KL is far below 3, so the
    // training KL term is exactly latentDim·λ = 12, while evaluation reports the plain KL.
    const fb = new Vae({ ...small, freeBits: 3 });
    tf.tidy(() => {
      expect(fb.loss(x, { step: 0, training: true }).kl!.dataSync()[0]).toBeCloseTo(12, 5);
      expect(fb.loss(x, { step: 0, training: false }).kl!.dataSync()[0]).toBeLessThan(3);
    });
    fb.dispose();
    x.dispose();
  });

  it('Gaussian decoder: a learned variance starts at c = 1 and equals the fixed-c loss there, then learns c', async () => {
    const data = bars(256, 6);
    const x = batchOf(data, 32);
    const fixed = new Vae({ ...small, decoder: 'gaussian', decoderVariance: 1, seed: 3 });
    const learned = new Vae({ ...small, decoder: 'gaussian', decoderVariance: 'learned', seed: 3 });
    expect(await learned.decoderVariance()).toBe(1);
    expect(learned.weightNames.at(-1)).toBe('decoder/logC');
    // Same seed ⇒ same weights and the same ε stream: −log N(x; f(z), I) two ways (core's gaussianNll vs ours).
    tf.tidy(() => {
      const a = fixed.loss(x, { step: 0, training: true });
      const b = learned.loss(x, { step: 0, training: true });
      expect(b.reconstruction.dataSync()[0]).toBeCloseTo(a.reconstruction.dataSync()[0]!, 3);
      expect(b.kl!.dataSync()[0]).toBeCloseTo(a.kl!.dataSync()[0]!, 5);
    });
    await learned.fit(data, { epochs: 15, batchSize: 32, optimizer: { name: 'adam', learningRate: 3e-2 } });
    // Given f, the best c is the mean squared residual per pixel; a decoder that has learned anything leaves
    // less than the pixel variance of the bars, p(1 − p) ≈ 0.18 with p = 15/64 lit pixels. c falls from 1
    // towards it (it is still falling after 120 steps, hence the margin).
    expect((await learned.decoderVariance())!).toBeLessThan(0.25);
    expect(await fixed.decoderVariance()).toBe(1);
    tf.dispose(x);
    fixed.dispose();
    learned.dispose();
  });

  it('is deterministic: the same seed trains to bit-identical weights', async () => {
    const data = bars(128, 7);
    const run = async () => {
      const vae = new Vae({ ...small, seed: 11 });
      await vae.fit(data, { epochs: 2, batchSize: 32, seed: 3 });
      const w = vae.getWeights();
      const values = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
      tf.dispose(w);
      vae.dispose();
      return values;
    };
    expect(await run()).toEqual(await run());
  });

  it('keeps the tensor count constant over 1000 training steps; dispose() returns it to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const vae = new Vae({ ...small, klWarmupSteps: 50, freeBits: 0.1 });
    const counts: number[] = [];
    const { steps } = await vae.fit(bars(128, 8), {
      epochs: 125,
      batchSize: 16,
      validationData: bars(32, 9),
      onBatchEnd: () => void counts.push(tf.memory().numTensors),
    });
    expect(steps).toBe(1000);
    expect(new Set(counts.slice(1)).size).toBe(1);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('Vae noise streams and batch shards', () => {
  const x = tf.tidy(() => tf.randomUniform([6, 12], 0, 1, 'float32', 3)) as tf.Tensor2D;
  const make = () => new Vae({ inputShape: [12], hiddenUnits: [8], latentDim: 3, seed: 9 });
  const lossOf = (vae: Vae, input: tf.Tensor2D, rows?: { offset: number; batchSize: number }) =>
    tf.tidy(() => vae.loss(input, { step: 0, training: true, rows }).total.dataSync()[0]!);

  it('noiseState copies the position of every stream: a copy draws the same ε next', () => {
    const a = make();
    lossOf(a, x); // advance the training stream by 6 rows
    const b = make();
    b.noiseState = a.noiseState;
    expect(b.noiseState).toEqual(a.noiseState);
    expect(lossOf(b, x)).toBe(lossOf(a, x));
    expect(() => {
      b.noiseState = { ...a.noiseState, train: { algorithm: 'xoshiro128**', s: [0, 0, 0, 0], spare: null } };
    }).toThrow(ValueError);
    a.dispose();
    b.dispose();
  });

  it('shards of a batch see the rows of the whole batch’s ε: Σ (n_w/n)·loss_w equals the batch loss', () => {
    const whole = make();
    const split = make();
    const full = lossOf(whole, x);
    const top = tf.slice(x, [0, 0], [4, 12]);
    const bottom = tf.slice(x, [4, 0], [2, 12]);
    // Each shard draws the full batch's ε and keeps its rows, so each advances the stream by one batch: reset it.
    const start = split.noiseState;
    const first = lossOf(split, top, { offset: 0, batchSize: 6 });
    split.noiseState = start;
    const second = lossOf(split, bottom, { offset: 4, batchSize: 6 });
    expect((4 / 6) * first + (2 / 6) * second).toBeCloseTo(full, 4);
    expect(split.noiseState).toEqual(whole.noiseState);
    expect(() => lossOf(split, top, { offset: 3, batchSize: 6 })).toThrow(ShapeError);
    tf.dispose([top, bottom]);
    whole.dispose();
    split.dispose();
  });
});

describe('interpolation', () => {
  it('linear and slerp paths follow their formulas', async () => {
    const a = tf.tensor1d([1, 0]);
    const b = tf.tensor1d([0, 1]);
    const lin = await interpolateLatents(a, b, 3, 'linear');
    const sl = await interpolateLatents(a, b, 3, 'slerp');
    expect(Array.from(await lin.data())).toEqual([1, 0, 0.5, 0.5, 0, 1]);
    const h = Math.fround(Math.SQRT1_2);
    const v = Array.from(await sl.data());
    expect(v[2]).toBeCloseTo(h, 6);
    expect(v[3]).toBeCloseTo(h, 6);
    // Slerp between two vectors of norm 3 stays on the sphere of radius 3 (Ω = 120°).
    const p = tf.tensor1d([3, 0]);
    const q = tf.tensor1d([3 * Math.cos((2 * Math.PI) / 3), 3 * Math.sin((2 * Math.PI) / 3)]);
    const arcPath = await interpolateLatents(p, q, 5, 'slerp');
    for (const [u, w] of (await arcPath.array()) as number[][]) expect(Math.hypot(u!, w!)).toBeCloseTo(3, 5);
    // Parallel endpoints: slerp falls back to the linear path.
    const para = await interpolateLatents(tf.tensor1d([1, 1]), tf.tensor1d([2, 2]), 3, 'slerp');
    expect(Array.from(await para.data())).toEqual([1, 1, 1.5, 1.5, 2, 2]);
    await expect(interpolateLatents(a, b, 1)).rejects.toThrow(ValueError);
    await expect(interpolateLatents(a, tf.tensor1d([1, 2, 3]), 3)).rejects.toThrow(ShapeError);
    tf.dispose([a, b, lin, sl, p, q, arcPath, para]);
  });

  it('Vae.interpolate decodes the path: its ends are decode(a) and decode(b)', async () => {
    const vae = new Vae(small);
    const a = tf.tensor2d([[1, -1, 0.5, 0]]);
    const b = tf.tensor2d([[-1, 0, 2, 1]]);
    const path = await assertNoLeaks(() => vae.interpolate(a, b, 6, 'slerp'), 1);
    expect(path.shape).toEqual([6, 64]);
    const ends = vae.decode(tf.concat([a, b]));
    const p = path.arraySync() as number[][];
    const e = ends.arraySync() as number[][];
    for (let j = 0; j < 64; j++) {
      expect(p[0]![j]).toBeCloseTo(e[0]![j]!, 5);
      expect(p[5]![j]).toBeCloseTo(e[1]![j]!, 5);
    }
    tf.dispose([a, b, path, ends]);
    vae.dispose();
  });
});
