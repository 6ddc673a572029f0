#!/usr/bin/env node
// Prepares packages/models/bench/gpu/out/, a self-contained folder for a GPU machine without internet:
//   run.mjs                 run.ts bundled with tfjs-core, tfjs-backend-webgpu and the models' sources
//   node_modules/webgpu/    Dawn's Node bindings (index.js, package.json, dist/linux-x64/dawn.node)
//   vae_torch_gpu.py, pytorch_examples_vae.py   the PyTorch side
// Then: node packages/models/bench/gpu/out/run.mjs   (copy the folder anywhere; it needs only node ≥ 20).
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const platform = process.env.DAWN_PLATFORM ?? 'linux-x64';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  input: join(here, 'run.ts'),
  external: ['webgpu'],
  platform: 'node',
  logLevel: 'warn',
  resolve: { conditionNames: ['@latentlab/source', 'node', 'import', 'default'] },
  output: { file: join(out, 'run.mjs'), format: 'esm', codeSplitting: false },
});
const webgpu = dirname(createRequire(join(here, '../../package.json')).resolve('webgpu'));
const dawn = join('dist', platform, 'dawn.node');
for (const file of ['package.json', 'index.js', 'LICENSE.md', dawn]) {
  cpSync(join(webgpu, file), join(out, 'node_modules/webgpu', file));
}
for (const file of ['vae_torch_gpu.py', '../pytorch_examples_vae.py'])
  cpSync(join(here, file), join(out, file.replace('../', '')));
const size = (p) => (statSync(p).isDirectory() ? 0 : statSync(p).size);
const mb = (size(join(out, 'run.mjs')) + size(join(out, 'node_modules/webgpu', dawn))) / 2 ** 20;
console.log(`${out}: run.mjs + dawn.node (${platform}), ${mb.toFixed(1)} MB`);
