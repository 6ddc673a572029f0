// The reference VAE of pytorch/examples vae/main.py trained for 10 epochs on MNIST (MATH.md §6): 784-400-20 MLP,
// ReLU, Bernoulli decoder on grey-level pixels (/255), BCE summed over pixels + KL, Adam 1e-3, batch 128,
// shuffled, z sampled at test time, PyTorch's nn.Linear initialisation. Writes the test loss after every epoch
// to packages/models/BENCHMARKS.md beside PyTorch's figures (126.9 after epoch 1, 106.5 after 7, 105.2 after 10).
// Runs on wasm (the bench setup's default backend), once per seed of MNIST_VAE_SEEDS (default "0,1").
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, datasetFromImages } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { type EpochLog, Vae } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const seeds = (process.env.MNIST_VAE_SEEDS ?? '0,1').split(',').map(Number);
const PYTORCH: Record<number, number> = { 1: 126.9, 7: 106.5, 10: 105.2 };

async function run(seed: number, train: Dataset, test: Dataset): Promise<EpochLog[]> {
  const vae = new Vae({ seed });
  const { history } = await vae.fit(train, {
    epochs: 10,
    batchSize: 128,
    seed,
    optimizer: { name: 'adam', learningRate: 1e-3 },
    validationData: test,
    onEpochEnd: (l: EpochLog) =>
      console.log(
        `seed ${seed}, epoch ${l.epoch + 1}: train ${l.loss.toFixed(2)}, test ${l.validation!.loss.toFixed(2)} nats, ${l.seconds.toFixed(1)} s`,
      ),
  });
  vae.dispose();
  return history;
}

test('MNIST VAE, 10 epochs: test loss per epoch', async () => {
  await tf.setBackend('wasm');
  const train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const test = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test');
  const runs: EpochLog[][] = [];
  for (const seed of seeds) runs.push(await run(seed, train, test));
  const fmt = (v: number) => v.toFixed(2);
  const rows = runs[0]!.map((_, e) => {
    const logs = runs.map((h) => h[e]!);
    const mean = logs.reduce((s, l) => s + l.validation!.loss, 0) / logs.length;
    const cells = logs.map(
      (l) =>
        `${fmt(l.loss)} | ${fmt(l.validation!.loss)} (${fmt(l.validation!.reconstruction)} + ${fmt(l.validation!.kl!)})`,
    );
    const speed = logs.reduce((s, l) => s + l.samplesPerSecond, 0) / logs.length;
    return `| ${e + 1} | ${cells.join(' | ')} | ${fmt(mean)} | ${PYTORCH[e + 1] ?? '–'} | ${speed.toFixed(0)} |`;
  });
  const head = seeds.map((s) => `seed ${s}: train | seed ${s}: test (rec. + KL)`).join(' | ');
  const body = `The pytorch/examples \`vae/main.py\` setup (784-400-20 MLP, ReLU, Bernoulli decoder on grey-level pixels, BCE summed
over pixels + KL, Adam 1e-3, batch 128, shuffled, PyTorch's \`nn.Linear\` initialisation): \`new Vae({ seed })\` on the
wasm backend, seeds ${seeds.join(', ')}. Test loss: the negative ELBO on the 10 000 test images with z sampled, in nats
per image (reconstruction + KL); PyTorch's figures (one run) are MATH.md §6's. The epoch-1 test loss varies by about
±1.5 nats between seeds (seeds 0–3 gave 128.6, 127.6, 126.0, 127.1, mean 127.3, in \`src/mnist-vae.node.test.ts\`).
Samples/s: training images of an epoch over the epoch's time, test evaluation included (mean over the seeds).

| epoch | ${head} | mean test | PyTorch test | samples/s |
| ---: | ${seeds.map(() => '---: | ---:').join(' | ')} | ---: | ---: | ---: |
${rows.join('\n')}`;
  writeBenchmarkSection(
    join(here, '..', 'BENCHMARKS.md'),
    'MNIST VAE (pytorch/examples vae/main.py): test loss per epoch',
    'pnpm --filter @latentlab/models bench',
    body,
  );
  console.log(body);
  expect(runs.every((h) => h.length === 10 && h.every((l) => Number.isFinite(l.validation!.loss)))).toBe(true);
});
