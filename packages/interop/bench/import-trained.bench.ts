// The pytorch/examples VAE trained 10 epochs in PyTorch, imported: the import's time, Latentlab's test loss
// (negative ELBO, z sampled, 10 draws) against PyTorch's, and the IWAE K = 5000 NLL on the first test rows.
//
//   /usr/bin/python3 packages/torch/scripts/train_pytorch_examples.py --epochs 10 --out /tmp/pytorch-examples-vae
//   LATENTLAB_TRAINED_DIR=/tmp/pytorch-examples-vae IWAE_ROWS=500 npx vitest run --config vitest.bench.config.ts
// (the bench runs the first command itself when the directory holds no trained model: ≈ 13 min on 2 cores).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDataset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { evaluateLatentModel, type Vae } from '@latentlab/models';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { expect, it } from 'vitest';
import { importSafetensors } from '../src/import/import-safetensors.js';
import { readSafetensorsFile } from '../src/node/read-file.js';

const dir = process.env.LATENTLAB_TRAINED_DIR ?? '/tmp/pytorch-examples-vae';
const iwaeRows = Number(process.env.IWAE_ROWS ?? 500);
const DRAWS = 10;

it('imports the 10-epoch pytorch/examples VAE and matches its test loss', async () => {
  if (!existsSync(path.join(dir, 'result.json'))) {
    const script = path.join(import.meta.dirname, '../../torch/scripts/train_pytorch_examples.py');
    const trained = spawnSync('/usr/bin/python3', [script, '--epochs', '10', '--out', dir], { stdio: 'inherit' });
    expect(trained.status, 'training the pytorch/examples VAE in PyTorch').toBe(0);
  }
  const torch = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
  const t0 = performance.now();
  const vae = importSafetensors(await readSafetensorsFile(path.join(dir, 'model.safetensors'))) as Vae;
  const importSeconds = (performance.now() - t0) / 1000;
  const images = await loadMnist({ split: 'test' });
  const test = createDataset({ name: 'mnist', x: images.images, shape: [images.shape[0], 784] });
  const losses: number[] = [];
  for (let i = 0; i < DRAWS; i++) losses.push((await vae.evaluate(test, { batchSize: 1000 })).loss);
  const mean = losses.reduce((a, b) => a + b, 0) / DRAWS;
  const sd = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (DRAWS - 1));
  const first = createDataset({ name: 'mnist', x: images.images.slice(0, iwaeRows * 784), shape: [iwaeRows, 784] });
  const metrics = await evaluateLatentModel(vae, first, { iwaeK: 5000 });
  const diff = mean - torch.testLossMean;
  writeBenchmarkSection(
    path.join(import.meta.dirname, '..', 'BENCHMARKS.md'),
    'pytorch/examples VAE trained 10 epochs in PyTorch, imported',
    `LATENTLAB_TRAINED_DIR=${dir} IWAE_ROWS=${iwaeRows} npx vitest run --config vitest.bench.config.ts (packages/interop)`,
    `| figure | value |
| --- | --- |
| import (read + check + build the Vae, 2.6 MB safetensors) | ${importSeconds.toFixed(3)} s |
| Latentlab test loss, mean of ${DRAWS} draws of z (10 000 MNIST test images) | ${mean.toFixed(3)} ± ${(sd / Math.sqrt(DRAWS)).toFixed(3)} nats (s.d. of one draw ${sd.toFixed(3)}) |
| PyTorch test loss, mean of ${torch.evalSamples} draws (scripts/train_pytorch_examples.py) | ${torch.testLossMean.toFixed(3)} ± ${torch.testLossMeanNoiseStd.toFixed(3)} nats |
| difference | ${diff.toFixed(3)} nats |
| IWAE K = 5000 NLL, first ${iwaeRows} test images | ${metrics.iwae!.nll.toFixed(3)} nats (${metrics.iwae!.seconds.toFixed(0)} s, mean ESS ${metrics.iwae!.meanEss.toFixed(1)}) |
| negative ELBO on the same ${iwaeRows} images (one draw) | ${metrics.loss.loss.toFixed(3)} nats |`,
  );
  expect(Math.abs(diff)).toBeLessThan(0.05);
  vae.dispose();
});
