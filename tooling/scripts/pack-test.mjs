#!/usr/bin/env node
// Packaging test: what a user gets who installs one package alone.
// Packs the current package (and the workspace packages it depends on) with `pnpm pack`, installs the tarballs
// into a scratch project that has only the declared dependencies and peers (plus the cpu backend, which a user
// must bring), and runs the package's `pack-test.smoke.mjs` there with plain Node — no vite, no workspace.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const smoke = join(pkgDir, 'pack-test.smoke.mjs');
if (!existsSync(smoke)) {
  console.error(
    `pack-test: ${pkg.name} has no pack-test.smoke.mjs: expected a script that imports and uses the package`,
  );
  process.exit(1);
}

const workspace = new Map();
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json');
  if (!existsSync(file)) continue;
  const p = JSON.parse(readFileSync(file, 'utf8'));
  workspace.set(p.name, join(root, 'packages', name));
}
const catalog = Object.fromEntries(
  [...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^ {2}["']?([@\w/.-]+)["']?: (.+)$/gm)].map(
    (m) => [m[1], m[2].trim()],
  ),
);

// The package and, transitively, the workspace packages it depends on at run time.
const toPack = [pkg.name];
for (let i = 0; i < toPack.length; i++) {
  const p = JSON.parse(readFileSync(join(workspace.get(toPack[i]), 'package.json'), 'utf8'));
  for (const dep of Object.keys(p.dependencies ?? {}))
    if (workspace.has(dep) && !toPack.includes(dep)) toPack.push(dep);
}

const scratch = join(pkgDir, '.pack-test');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const pnpm = ['--yes', 'pnpm@10'];
const dependencies = {};
/** Packs a workspace package into the scratch folder; returns its dependency spec there. */
function packWorkspace(name) {
  const out = execFileSync('npx', [...pnpm, 'pack', '--pack-destination', scratch], {
    cwd: workspace.get(name),
    encoding: 'utf8',
  });
  const tarball = out.trim().split('\n').pop().trim();
  return `file:./${tarball.split('/').pop()}`;
}
for (const name of toPack) dependencies[name] = packWorkspace(name);
// Peers a user must install, at the versions the workspace tests against.
for (const [peer, range] of Object.entries(pkg.peerDependencies ?? {})) {
  if (pkg.peerDependenciesMeta?.[peer]?.optional) continue;
  dependencies[peer] = catalog[peer] ?? range;
}
// What the smoke script needs beyond the package's own dependencies (a backend, an optional peer), named in its
// header; workspace packages among them are packed too:
//   // pack-test-with: @tensorflow/tfjs-backend-cpu @latentlab/fashion-mnist
const withLine = readFileSync(smoke, 'utf8').match(/^\/\/ pack-test-with:(.*)$/m);
for (const extra of withLine?.[1]?.trim().split(/\s+/) ?? []) {
  if (workspace.has(extra)) {
    dependencies[extra] = packWorkspace(extra);
    continue;
  }
  // The workspace's version: the catalog's, else the range the package itself declares (never 'catalog:').
  const declared = [pkg.devDependencies?.[extra], pkg.peerDependencies?.[extra]].find(
    (range) => range !== undefined && !range.startsWith('catalog:') && !range.startsWith('workspace:'),
  );
  dependencies[extra] = catalog[extra] ?? declared ?? 'latest';
}

writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify({ name: 'pack-test', private: true, type: 'module', dependencies }, null, 2),
);
cpSync(smoke, join(scratch, 'smoke.mjs'));
console.log(`pack-test: installing ${Object.keys(dependencies).join(', ')} into ${scratch}`);
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], {
  cwd: scratch,
  stdio: 'inherit',
});
execFileSync(process.execPath, ['smoke.mjs'], { cwd: scratch, stdio: 'inherit' });
console.log(`pack-test: ${pkg.name} installs alone and works`);
