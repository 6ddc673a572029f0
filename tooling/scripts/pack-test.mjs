#!/usr/bin/env node
// Packaging test: what a user gets who installs one package alone.
// Packs the current package (and the workspace packages it depends on) with `pnpm pack`, installs the tarballs
// into a scratch project that has only the declared dependencies and peers (plus the cpu backend, which a user
// must bring), and runs the package's `pack-test.smoke.mjs` there with plain Node — no vite, no workspace.
// Then the README's quick start, as a user follows it: a second scratch project gets exactly the README's
// `npm install` line (workspace packages from their tarballs), runs the README's code verbatim and must print
// what the README says; run again with the backend package it asks `useBackend` for removed, it must fail with
// the `BackendError` naming that package.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchesOutput, readQuickStart } from './quick-start.mjs';

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
const packed = new Map();
/** Packs a workspace package into the scratch folder (once); returns its dependency spec there. */
function packWorkspace(name) {
  if (packed.has(name)) return packed.get(name);
  const out = execFileSync('npx', [...pnpm, 'pack', '--pack-destination', scratch], {
    cwd: workspace.get(name),
    encoding: 'utf8',
  });
  const tarball = out.trim().split('\n').pop().trim();
  packed.set(name, `file:./${tarball.split('/').pop()}`);
  return packed.get(name);
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
/** The version range the workspace uses for an outside package: the catalog's, else one a package declares. */
function workspaceRange(name) {
  if (catalog[name]) return catalog[name];
  for (const dir of workspace.values()) {
    const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const range = [p.dependencies, p.devDependencies, p.peerDependencies]
      .map((deps) => deps?.[name])
      .find((r) => r !== undefined && !r.startsWith('catalog:') && !r.startsWith('workspace:'));
    if (range) return range;
  }
  return 'latest';
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

const quickStart = readQuickStart(pkgDir);
if (quickStart !== null) {
  // Outside the repository, so that nothing resolves to the workspace's node_modules (a removed backend must be gone).
  const project = mkdtempSync(join(tmpdir(), 'latentlab-quick-start-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'quick-start', private: true, type: 'module' }));
  writeFileSync(join(project, 'quick-start.mjs'), quickStart.code);
  // npm install <the README's line>, with the workspace's packages as their tarballs.
  // A user gets the workspace packages those depend on from the registry; here they come from their tarballs too.
  const names = [...quickStart.packages];
  for (let i = 0; i < names.length; i++) {
    if (!workspace.has(names[i])) continue;
    const p = JSON.parse(readFileSync(join(workspace.get(names[i]), 'package.json'), 'utf8'));
    for (const dep of Object.keys(p.dependencies ?? {}))
      if (workspace.has(dep) && !names.includes(dep)) names.push(dep);
  }
  const specs = names.map((name) =>
    workspace.has(name)
      ? join(scratch, packWorkspace(name).slice('file:./'.length))
      : `${name}@${workspaceRange(name)}`,
  );
  console.log(`pack-test: quick start: npm install ${quickStart.packages.join(' ')}`);
  const started = performance.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', ...specs], {
    cwd: project,
    stdio: 'inherit',
  });
  const installed = performance.now();
  const run = spawnSync(process.execPath, ['quick-start.mjs'], { cwd: project, encoding: 'utf8' });
  const finished = performance.now();
  if (run.status !== 0 || !matchesOutput(quickStart.output, run.stdout)) {
    console.error(
      `pack-test: ${pkg.name}'s README quick start: expected exit 0 printing\n${quickStart.output}found exit ${run.status} printing\n${run.stdout}${run.stderr}`,
    );
    process.exit(1);
  }
  const seconds = (ms) => (ms / 1000).toFixed(1);
  console.log(
    `pack-test: ${pkg.name}'s README quick start prints what the README says (npm install ${seconds(installed - started)} s, run ${seconds(finished - installed)} s)`,
  );
  // The same code without the backend package it asks for: a BackendError naming the package, nothing raw.
  const backend = quickStart.code.match(/useBackend\('(cpu|wasm)'\)/)?.[1];
  if (backend !== undefined) {
    const backendPackage = `@tensorflow/tfjs-backend-${backend}`;
    const dir = join(project, 'node_modules', backendPackage);
    if (!existsSync(dir)) {
      console.error(`pack-test: the quick start uses '${backend}' but ${backendPackage} was not installed`);
      process.exit(1);
    }
    renameSync(dir, join(project, 'removed-backend'));
    const missing = spawnSync(process.execPath, ['quick-start.mjs'], { cwd: project, encoding: 'utf8' });
    const said = missing.stderr;
    if (missing.status === 0 || !said.includes('BackendError') || !said.includes(`npm install ${backendPackage}`)) {
      console.error(
        `pack-test: without ${backendPackage}, expected the quick start to fail with a BackendError naming 'npm install ${backendPackage}', found exit ${missing.status}:\n${said}`,
      );
      process.exit(1);
    }
    console.log(
      `pack-test: without ${backendPackage} the quick start fails with: ${said.match(/^\w*Error: .*$/m)?.[0]}`,
    );
  }
  rmSync(project, { recursive: true, force: true });
}
