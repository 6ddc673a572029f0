// The reference VAE of pytorch/examples vae/main.py on real MNIST (docs/math.md §6): 784-400-20 MLP, ReLU,
// Bernoulli decoder on grey-level pixels (/255, not binarised), BCE summed over pixels + KL, Adam 1e-3,
// batch 128, shuffled, z sampled at test time, PyTorch's nn.Linear initialisation. docs/math.md §6 quotes one PyTorch
// run: 126.9 nats after epoch 1, 105.3 after epoch 10. main.py itself over seeds 0–9 here (bench/vae_torch_main.py):
// 127.55 ± 0.79 after epoch 1, 105.60 ± 0.13 after epoch 10. The 10-epoch run is bench/mnist-vae.bench.ts.
import { type Dataset, datasetFromImages, subset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VAE_CONFIG } from './config.js';
import { Vae } from './vae.js';

let train: Dataset;
let test: Dataset;

beforeAll(async () => {
  train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train'); // [60000, 28, 28] bytes
  test = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test'); // [10000, 28, 28]
});

const first = (ds: Dataset, n: number) =>
  subset(
    ds,
    Int32Array.from({ length: n }, (_, i) => i),
  );

describe('reference MNIST VAE (pytorch/examples vae/main.py)', () => {
  it('is the reference architecture by default', () => {
    const vae = new Vae();
    expect(DEFAULT_VAE_CONFIG).toMatchObject({
      inputShape: [784],
      hiddenUnits: [400],
      latentDim: 20,
      decoder: 'bernoulli',
      init: 'torch',
    });
    // fc1 784·400 + 400, fc21 and fc22 400·20 + 20 each, fc3 20·400 + 400, fc4 400·784 + 784.
    expect(vae.parameterCount).toBe(784 * 400 + 400 + 2 * (400 * 20 + 20) + 20 * 400 + 400 + 400 * 784 + 784);
    vae.dispose();
  });

  // wasm: one full epoch per seed, 4 seeds (0–3), ≈ 25 s each here. A single run's epoch-1 test loss varies by
  // about ±1.5 nats with the seed (measured while writing this test: 128.6, 127.6, 126.0, 127.1 — PyTorch's
  // 126.9 is one run too; main.py itself gives 126.83, 128.41, 127.96, 126.84 for PyTorch's seeds 0–3 and
  // 127.55 ± 0.79 over seeds 0–9, bench/vae_torch_main.py), so the bound of 127.5 nats applies to the mean over
  // the four seeds, and each run must be within 2 nats of it.
  // cpu: the plain-JS backend trains at < 100 samples/s, so it runs a documented smaller check instead: one
  // pass over the first 2 000 training images (16 steps) must at least cut the test loss on the first 1 000
  // test images to 60 % of the untrained model's (≈ 543 nats = 784·ln 2 for logits near 0).
  it('matches PyTorch’s epoch-1 test loss on wasm (a shorter documented check on cpu)', async () => {
    const backend = tf.getBackend();
    const options = (seed: number) => ({
      epochs: 1,
      batchSize: 128,
      shuffle: true,
      seed,
      optimizer: { name: 'adam' as const, learningRate: 1e-3 },
    });
    if (backend === 'wasm') {
      const losses: number[] = [];
      for (const seed of [0, 1, 2, 3]) {
        const vae = new Vae({ seed });
        const { history } = await vae.fit(train, { ...options(seed), validationData: test });
        const v = history[0]!.validation!;
        console.log(
          `MNIST VAE epoch 1 on wasm, seed ${seed}: test loss ${v.loss.toFixed(2)} nats (reconstruction ${v.reconstruction.toFixed(2)}, KL ${v.kl!.toFixed(2)}), ${history[0]!.samplesPerSecond.toFixed(0)} samples/s`,
        );
        expect(v.loss).toBeCloseTo(v.reconstruction + v.kl!, 3); // float32 batch terms summed apart
        expect(v.kl!).toBeGreaterThan(10); // the code is in use (PyTorch: ≈ 20 nats after epoch 1)
        losses.push(v.loss);
        vae.dispose();
      }
      const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
      console.log(`mean over seeds 0–3: ${mean.toFixed(2)} nats (PyTorch main.py, seeds 0–3: 127.51)`);
      expect(mean).toBeLessThanOrEqual(127.5);
      for (const loss of losses) expect(Math.abs(loss - mean)).toBeLessThan(2);
    } else {
      const vae = new Vae({ seed: 0 });
      const testSmall = first(test, 1000);
      const before = await vae.evaluate(testSmall);
      expect(before.loss).toBeGreaterThan(400);
      const { history } = await vae.fit(first(train, 2000), { ...options(0), validationData: testSmall });
      const v = history[0]!.validation!;
      console.log(
        `MNIST VAE on ${backend}, 2 000 images: test loss ${before.loss.toFixed(1)} → ${v.loss.toFixed(1)} nats`,
      );
      expect(v.loss).toBeLessThanOrEqual(0.6 * before.loss);
      vae.dispose();
    }
  }, 900_000);
});
