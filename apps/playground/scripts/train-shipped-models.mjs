// Trains the small pretrained models the playground shows on first load (before anything trains in the browser)
// with our own CLI, and writes them to public/models/: for each model `<name>.model.json` (models' own topology and
// weight manifest, the optimizer state left out), `<name>.weights.bin` (float32/float64 parameters) and
// `<name>.recipe.json` (the exact commands, seed, epochs, the training loss per epoch and the test metrics of
// `latentlab eval` on MNIST's 10 000 test digits, which none of the models saw).
//
//   npx --yes pnpm@10 --filter @latentlab/cli... build     # once: the CLI and the libraries it uses
//   node apps/playground/scripts/train-shipped-models.mjs [name...]  # from the repository root; EPOCHS=n to override
//
// Every model has a 2-d latent space, so its codes are the scatter; the AE and VAEs have one hidden layer of 128
// units (≈ 0.8 MB of float32 weights each) to keep the download small.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@latentlab/core/node';
import { loadModel, modelToArtifacts } from '@latentlab/models';
import { crc32 } from '@latentlab/models/internal';
import { fileSystem } from '@latentlab/models/node';
import '@tensorflow/tfjs-backend-cpu';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const cli = join(root, 'packages', 'cli', 'bin', 'latentlab.mjs');
const out = join(here, '..', 'public', 'models');
const epochs = process.env.EPOCHS ?? '5'; // what the shipped models were trained with
const seed = '0';
const common = ['--dataset', 'mnist', '--latent', '2', '--seed', seed];
const neural = ['--hidden', '128', '--epochs', epochs, '--batch-size', '128', '--lr', '1e-3'];

/** The models shipped, each with the `latentlab train` flags that make it. */
export const SHIPPED = [
  { name: 'pca', flags: ['--model', 'pca', ...common] },
  { name: 'ae', flags: ['--model', 'ae', ...common, ...neural] },
  { name: 'vae', flags: ['--model', 'vae', ...common, ...neural, '--beta', '1'] },
  { name: 'vae-beta-0.5', flags: ['--model', 'vae', ...common, ...neural, '--beta', '0.5'] },
  { name: 'vae-beta-4', flags: ['--model', 'vae', ...common, ...neural, '--beta', '4'] },
];

const only = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'latentlab-shipped-'));
try {
  for (const { name, flags } of SHIPPED.filter((m) => only.length === 0 || only.includes(m.name))) {
    const run = join(work, name);
    const trainArgs = ['train', ...flags, '--out', run];
    const evalArgs = ['eval', run];
    const started = Date.now();
    const trained = JSON.parse(
      execFileSync('node', [cli, ...trainArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    const seconds = (Date.now() - started) / 1000;
    const metrics = JSON.parse(
      execFileSync('node', [cli, ...evalArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    // The model alone (no Adam moments, no training state): what the playground needs to draw it.
    const { model } = await loadModel(fileSystem(run));
    const artifacts = await modelToArtifacts(model);
    model.dispose();
    const weights = new Uint8Array(artifacts.weightData);
    await writeFileAtomic(join(out, `${name}.weights.bin`), weights);
    await writeFileAtomic(
      join(out, `${name}.model.json`),
      JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }),
    );
    const recipe = {
      name,
      commands: [
        `latentlab ${trainArgs.join(' ').replace(run, `runs/${name}`)}`,
        `latentlab ${evalArgs.join(' ').replace(run, `runs/${name}`)}`,
      ],
      seed: Number(seed),
      epochs: flags.includes('pca') ? null : Number(epochs),
      trainingSeconds: seconds,
      trainHistory: trained.history ?? null,
      test: metrics,
      weightBytes: weights.byteLength,
      weightCrc32: crc32(weights),
    };
    // eval's `run` is a temporary directory: name it as the command above does.
    recipe.test.run = `runs/${name}`;
    await writeFileAtomic(join(out, `${name}.recipe.json`), `${JSON.stringify(recipe, null, 2)}\n`);
    const size = readFileSync(join(out, `${name}.weights.bin`)).byteLength;
    console.log(`${name}: ${size} B of weights in ${relative(root, out)} (${seconds.toFixed(0)} s of training)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
