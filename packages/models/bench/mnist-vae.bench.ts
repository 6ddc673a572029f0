// The reference VAE of pytorch/examples vae/main.py trained for 10 epochs on MNIST (MATH.md §6): 784-400-20 MLP,
// ReLU, Bernoulli decoder on grey-level pixels (/255), BCE summed over pixels + KL, Adam 1e-3, batch 128,
// shuffled, z sampled at test time, PyTorch's nn.Linear initialisation. Writes the test loss after every epoch
// to packages/models/BENCHMARKS.md beside PyTorch's (the mean over seeds 0–3 of bench/vae_torch_mnist.py).
// Runs on wasm (the bench setup's default backend), once per seed of MNIST_VAE_SEEDS (default "0,1,2,3"), with
// trainInWorkers on MNIST_VAE_WORKERS threads (default 2; 1 = vae.fit on this thread) — the same run either way.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, datasetFromImages } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { type EpochLog, Vae } from '../src/index.js';
import { trainInWorkers } from '../src/parallel/train-in-workers.js';

const here = dirname(fileURLToPath(import.meta.url));
const seeds = (process.env.MNIST_VAE_SEEDS ?? '0,1,2,3').split(',').map(Number);
const workers = Number(process.env.MNIST_VAE_WORKERS ?? '2');
// PyTorch 1.13 (Debian python3-torch), pytorch/examples vae/main.py, test loss after each epoch, seeds 0–3:
// `/usr/bin/python3 bench/vae_torch_mnist.py SEED` (measured 2026-11-26 on this machine, one thread).
const PYTORCH_RUNS: readonly (readonly number[])[] = [
  [127.42, 115.51, 111.95, 109.75, 108.3, 107.74, 106.76, 106.67, 105.96, 105.73],
  [126.92, 115.31, 111.42, 109.64, 108.08, 107.21, 106.57, 105.98, 105.67, 105.26],
  [127.17, 115.44, 111.83, 109.66, 108.34, 107.53, 106.89, 106.24, 106.01, 105.75],
  [127.52, 116.0, 111.95, 109.99, 108.98, 107.62, 107.04, 106.42, 106.02, 105.75],
];
const pytorchCell = (e: number) => {
  const runs = PYTORCH_RUNS.map((r) => r[e]!);
  const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
  return `${mean.toFixed(2)} (${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)})`;
};

async function run(seed: number, train: Dataset, test: Dataset): Promise<EpochLog[]> {
  const vae = new Vae({ seed });
  const options = {
    epochs: 10,
    batchSize: 128,
    seed,
    optimizer: { name: 'adam' as const, learningRate: 1e-3 },
    validationData: test,
    onEpochEnd: (l: EpochLog) =>
      console.log(
        `seed ${seed}, epoch ${l.epoch + 1}: train ${l.loss.toFixed(2)}, test ${l.validation!.loss.toFixed(2)} nats, ${l.seconds.toFixed(1)} s`,
      ),
  };
  const { history } =
    workers > 1 ? await trainInWorkers(vae, train, { ...options, workers }) : await vae.fit(train, options);
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
    return `| ${e + 1} | ${cells.join(' | ')} | ${fmt(mean)} | ${pytorchCell(e)} | ${speed.toFixed(0)} |`;
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
  const stats = (xs: number[]) =>
    `mean ${mean(xs).toFixed(2)}, s.d. ${sd(xs).toFixed(2)} over ${xs.length} seeds (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  const ours10 = runs.map((h) => h[9]!.validation!.loss);
  const torch10 = PYTORCH_RUNS.map((r) => r[9]!);
  const head = seeds.map((s) => `seed ${s}: train | seed ${s}: test (rec. + KL)`).join(' | ');
  const body = `The pytorch/examples \`vae/main.py\` setup (784-400-20 MLP, ReLU, Bernoulli decoder on grey-level pixels, BCE summed
over pixels + KL, Adam 1e-3, batch 128, shuffled, PyTorch's \`nn.Linear\` initialisation): \`new Vae({ seed })\` on the
wasm backend, seeds ${seeds.join(', ')}, ${workers > 1 ? `trained with \`trainInWorkers\` on ${workers} worker threads (the run \`fit\` makes, split over threads)` : 'trained with `fit`'}. Test loss: the negative ELBO on the 10 000 test images with z sampled, in nats
per image (reconstruction + KL). PyTorch: the same setup in PyTorch 1.13 (\`bench/vae_torch_mnist.py SEED\`, one
thread), mean (min–max) over seeds 0–3. The epoch-1 test loss varies by about ±1 nat between seeds (ours, seeds 0–3:
128.6, 127.6, 126.0, 127.1, mean 127.3, in \`src/mnist-vae.node.test.ts\`; PyTorch 127.26); MATH.md §6's single
PyTorch run (126.9 after epoch 1, 105.2 after 10) is at the low end of PyTorch's own spread.
Samples/s: training images of an epoch over the epoch's time, test evaluation included (mean over the seeds).

Adam's ε against the batch reduction (our trainer minimises the batch *mean*, main.py the *sum*, which makes ε
relatively 128× larger for us): PyTorch with the mean instead of the sum, seed 0, gives 127.35, 115.52, 111.95, 109.82,
108.31, 107.72, 106.70, 106.51, 105.98, 105.71 (sum: 127.42 … 105.73), the same within run-to-run noise.

After epoch 10: ours ${stats(ours10)}; PyTorch ${stats(torch10)}; difference of the means ${(mean(ours10) - mean(torch10)).toFixed(2)} nats
(standard error ${Math.sqrt(sd(ours10) ** 2 / ours10.length + sd(torch10) ** 2 / torch10.length).toFixed(2)}). Runs at or below
105.5 nats after epoch 10: ours ${ours10.filter((v) => v <= 105.5).length} of ${ours10.length}, PyTorch's ${torch10.filter((v) => v <= 105.5).length} of ${torch10.length}.

| epoch | ${head} | mean test | PyTorch test, seeds 0–3 | samples/s |
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
