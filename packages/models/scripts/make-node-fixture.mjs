#!/usr/bin/env node
// Regenerates src/io/fixtures/node-saved-vae-files/: a VAE trained and saved in plain Node on the cpu backend
// through our file-system handler (model.json + weights.<id>.bin, as written), for browser-files.test.ts, which
// uploads those files in Chromium through tfjs's browserFiles handler.
//
//   cd packages/models && node scripts/make-node-fixture.mjs
//
// Our TypeScript sources (through the '@latentlab/source' condition) and tfjs are bundled by rolldown into one ES
// module in a temporary directory (tfjs-core's own ESM files use extensionless imports plain Node cannot load),
// which is imported and run; the recorded x, μ and decode(μ) go to node-outputs.json.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/io/fixtures/node-saved-vae-files');
const tmp = await mkdtemp(join(tmpdir(), 'latentlab-node-fixture-'));
try {
  const bundle = join(tmp, 'entry.mjs');
  await build({
    input: join(root, 'scripts/node-fixture.entry.mjs'),
    platform: 'node',
    logLevel: 'warn',
    resolve: {
      conditionNames: ['@latentlab/source', 'node', 'import', 'module', 'default'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
    treeshake: false,
    output: { file: bundle, format: 'esm', codeSplitting: false },
  });
  const { make } = await import(pathToFileURL(bundle).href);
  await rm(out, { recursive: true, force: true });
  const outputs = await make(out);
  await writeFile(join(out, 'node-outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`);
  console.log(`wrote model.json, weights file and node-outputs.json to ${out}`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
