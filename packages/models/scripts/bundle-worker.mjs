#!/usr/bin/env node
// Bundles the training worker of `trainInWorkers` from the package's *sources* (and its workspace siblings'
// sources, through the `@latentlab/source` condition) into `.cache/parallel-worker.js`, the file that
// trainInWorkers starts when it runs from source (in this package's tests). Run by the test setup before every
// test run (vitest.config.ts → globalSetup), so the workers always run the code under test: no stale `dist`,
// and no build needed before `pnpm --filter @latentlab/models test` in a fresh clone. TensorFlow.js stays
// external: the workers load the installed tfjs packages, like the built worker does.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes `.cache/parallel-worker.js`; returns its path. */
export async function bundleWorker() {
  const file = join(root, '.cache/parallel-worker.js');
  await build({
    input: join(root, 'src/parallel/worker.ts'),
    external: (id) => id === '@tensorflow/tfjs-core' || id.startsWith('@tensorflow/tfjs-backend-'),
    platform: 'node',
    logLevel: 'warn',
    resolve: { conditionNames: ['@latentlab/source', 'node', 'import', 'default'] },
    // One file: the worker's dynamic imports (e.g. the models' lazy `save`) are inlined, not split into chunks.
    output: { file, format: 'esm', sourcemap: true, codeSplitting: false },
  });
  return file;
}

/** vitest global setup. */
export default async function setup() {
  await bundleWorker();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bundleWorker());
