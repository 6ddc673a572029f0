#!/usr/bin/env node
// `--workers auto` of this build against an earlier build's, as users run it: one epoch of the reference VAE on the
// 60 000 MNIST training images (`latentlab train --model vae --dataset mnist --epochs 1 --batch-size 128
// --validation-split 0 --workers auto`, the built bin, a fresh process per run), the two builds in turn, the order
// swapped every pair so neither always runs first. Prints each run (epoch and whole-command samples/s, what auto
// measured) and the medians, one JSON line at the end.
// Usage (both builds built): node bench/auto-pairs.mjs <an earlier checkout's packages/cli> [pairs]   (default 8)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const before = process.argv[2] ? path.resolve(process.argv[2]) : null;
const pairs = Number(process.argv[3] ?? 8);
if (!before || !existsSync(path.join(before, 'bin/latentlab.mjs'))) {
  process.stderr.write('auto-pairs: usage: node bench/auto-pairs.mjs <earlier packages/cli, built> [pairs]\n');
  process.exit(1);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'latentlab-auto-pairs-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One `--workers auto` run of the build in `dir`: { epoch, whole, auto }. */
function run(dir) {
  const out = path.join(tmp, `run-${Date.now()}`);
  const args = ['train', '--model', 'vae', '--dataset', 'mnist', '--epochs', '1', '--batch-size', '128'];
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(dir, 'bin/latentlab.mjs'), ...args, '--validation-split', '0', '--workers', 'auto', '--out', out],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const seconds = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`auto-pairs: ${dir} exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  const epoch = JSON.parse(r.stdout).history[0].samplesPerSecond;
  const auto = /workers auto: ([^\r\n]*)/.exec(r.stderr)?.[1] ?? '';
  return { epoch: Math.round(epoch), whole: Math.round(60000 / seconds), auto };
}

const runs = { new: [], before: [] };
try {
  for (let p = 0; p < pairs; p++) {
    for (const which of p % 2 === 0 ? ['new', 'before'] : ['before', 'new']) {
      const r = run(which === 'new' ? here : before);
      runs[which].push(r);
      process.stdout.write(`pair ${p + 1} ${which}: epoch ${r.epoch}, whole ${r.whole}; ${r.auto}\n`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const summary = (rs) => ({ epoch: median(rs.map((r) => r.epoch)), whole: median(rs.map((r) => r.whole)) });
const higher = (key) => runs.new.filter((r, i) => r[key] > runs.before[i][key]).length;
process.stdout.write(
  `${JSON.stringify({ pairs, new: summary(runs.new), before: summary(runs.before), newHigher: { epoch: higher('epoch'), whole: higher('whole') } })}\n`,
);
