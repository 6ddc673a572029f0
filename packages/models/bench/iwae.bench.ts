// Importance-weighted NLL of a trained MNIST VAE (MATH.md §5) for K = 1, 5, 50 over the 10 000 test images and
// K = 5000 over the first IWAE_SUBSET test images (default 200; 5000 × 10 000 decoder rows take hours on two
// cores, the time for the whole test set is extrapolated linearly: the cost is K · n decoder rows). The VAE is the
// reference 784-400-20 model trained IWAE_EPOCHS epochs (default 3) on wasm, seed 0. Writes "IWAE evaluation"
// to packages/models/BENCHMARKS.md.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataset, type Dataset, datasetFromImages } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { evaluateLatentModel, Vae } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const subset = Number(process.env.IWAE_SUBSET ?? 200);
const epochs = Number(process.env.IWAE_EPOCHS ?? 3);

const head = (ds: Dataset, n: number): Dataset => {
  const d = ds.shape.slice(1).reduce((a, b) => a * b, 1);
  return createDataset({ name: `${ds.name}-${n}`, x: ds.x.slice(0, n * d), shape: [n, ...ds.shape.slice(1)] });
};

test('IWAE NLL of an MNIST VAE for K = 1, 5, 50, 5000', async () => {
  await tf.setBackend('wasm');
  const train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const testSet = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test');
  const vae = new Vae({ seed: 0 });
  await vae.fit(train, { epochs, batchSize: 128, seed: 0 });
  const rows: string[] = [];
  const results: { k: number; n: number; nll: number; seconds: number }[] = [];
  for (const [k, data] of [
    [1, testSet],
    [5, testSet],
    [50, testSet],
    [50, head(testSet, subset)],
    [5000, head(testSet, subset)],
  ] as const) {
    const m = await evaluateLatentModel(vae, data, { iwaeK: k, seed: 1 });
    const n = data.shape[0]!;
    const iwae = m.iwae!;
    results.push({ k, n, nll: iwae.nll, seconds: iwae.seconds });
    const full = (iwae.seconds * 10_000) / n;
    rows.push(
      `| ${k} | ${n} | ${iwae.nll.toFixed(2)} | ${m.loss.loss.toFixed(2)} | ${iwae.meanEss.toFixed(1)} | ${iwae.seconds.toFixed(1)} | ${n === 10_000 ? '–' : `${(full / 60).toFixed(0)} min`} |`,
    );
    console.log(rows.at(-1));
  }
  vae.dispose();
  // The bound tightens with K (over the same images): NLL_1 ≥ NLL_5 ≥ NLL_50, and NLL_5000 ≤ NLL_50 on the subset.
  expect(results[1]!.nll).toBeLessThan(results[0]!.nll);
  expect(results[2]!.nll).toBeLessThan(results[1]!.nll);
  expect(results[4]!.nll).toBeLessThan(results[3]!.nll);
  const body = `The reference VAE (784-400-20 MLP, Bernoulli decoder on grey-level pixels /255) trained ${epochs} epochs on wasm
(Adam 1e-3, batch 128, seed 0), then \`evaluateLatentModel(vae, test, { iwaeK: K, seed: 1 })\` on wasm: NLL = −mean log p̂_K(x)
in nats per image (Burda et al. 2015; K = 1 is a one-sample ELBO), beside the negative ELBO of the same call (one z
sample, analytic KL); seconds: the IWAE pass only. K = 5000 over all 10 000 test images means 5 · 10⁷ decoder rows; on this machine that is the time in the last
column (extrapolated from the ${subset}-image subset, linear in K · n), so K = 5000 is measured on the first ${subset} test
images, with K = 50 on the same images for comparison. ESS: mean effective sample size (Σw)²/Σw² of the importance weights.

| K | test images | IWAE NLL | −ELBO | mean ESS | seconds | whole test set (extrapolated) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`;
  writeBenchmarkSection(
    join(here, '..', 'BENCHMARKS.md'),
    'IWAE evaluation',
    'cd packages/models && npx vitest run --config vitest.bench.config.ts bench/iwae.bench.ts',
    body,
  );
}, 3_600_000);
