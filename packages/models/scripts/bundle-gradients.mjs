#!/usr/bin/env node
// Builds dist/register-gradients.node.js: tfjs-core's gradient registrations bundled into one ESM file for
// plain Node (see src/register-gradients.ts). tfjs-core itself stays external, so the bundle registers into the
// tfjs-core instance the application loaded (its engine and registries are process-wide globals).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  input: join(root, 'src/register-gradients.ts'),
  external: (id) => id === '@tensorflow/tfjs-core',
  platform: 'node',
  logLevel: 'warn',
  output: { file: join(root, 'dist/register-gradients.node.js'), format: 'esm', minify: true },
});
