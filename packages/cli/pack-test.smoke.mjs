// Runs in a scratch project where @latentlab/cli was installed alone from its packed tarball (with the workspace
// packages it depends on): the `latentlab` bin as a user runs it — version, help, a one-line usage error, a short
// training run on a CSV with a checkpoint, and its evaluation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('./node_modules/.bin/latentlab', import.meta.url).pathname;
const cli = (...args) => spawnSync(bin, args, { encoding: 'utf8' });
const pkg = JSON.parse(readFileSync(new URL('./node_modules/@latentlab/cli/package.json', import.meta.url), 'utf8'));

const version = cli('--version');
assert.equal(version.status, 0, version.stderr);
assert.equal(version.stdout.trim(), pkg.version);
assert.match(cli('--help').stdout, /Exit codes:/);
const bad = cli('train', '--epoch', '3');
assert.equal(bad.status, 2);
assert.match(bad.stderr, /unknown option '--epoch' \(did you mean '--epochs'\?\)/);
assert.equal(bad.stderr.trim().split('\n').length, 1);

const dir = mkdtempSync(join(tmpdir(), 'latentlab-smoke-'));
const rows = Array.from({ length: 64 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(i * 3.1 + j)).join(','));
writeFileSync(join(dir, 'p.csv'), `${rows.join('\n')}\n`);
const out = join(dir, 'run');
for (const backend of ['cpu', 'wasm']) {
  const train = cli(
    'train',
    '--dataset',
    join(dir, 'p.csv'),
    '--latent',
    '2',
    '--hidden',
    '8',
    '--epochs',
    '2',
    '--batch-size',
    '16',
    '--backend',
    backend,
    '--out',
    out,
  );
  assert.equal(train.status, 0, train.stderr);
  assert.equal(JSON.parse(train.stdout).history.length, 2);
  assert.doesNotMatch(train.stderr, /tfjs-node/);
  const ev = cli('eval', out, '--backend', backend);
  assert.equal(ev.status, 0, ev.stderr);
  assert.equal(JSON.parse(ev.stdout).model, 'vae');
}
console.log('@latentlab/cli from its tarball: ok');
