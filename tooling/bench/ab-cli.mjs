#!/usr/bin/env node
// Two builds of the CLI side by side in one run, for "did this refactor change the speed?": `latentlab bench`
// (samples/s of a training epoch after a warm-up epoch, what `latentlab train` runs per step) of checkout A and
// checkout B, alternating A, B, B, A, ... so that the machine's load drifts over both alike. Each run is a fresh
// process. Prints a Markdown table of the medians and the B/A ratio, with the load average.
//   node tooling/bench/ab-cli.mjs <checkout A> <checkout B> [rounds]    (both built: `pnpm --filter @latentlab/cli... build`)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node tooling/bench/ab-cli.mjs <checkout A> <checkout B> [rounds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 3);
const bin = (dir) => path.resolve(dir, 'packages/cli/bin/latentlab.mjs');
for (const dir of [a, b]) {
  if (!existsSync(path.resolve(dir, 'packages/cli/dist/cli.js'))) {
    process.stderr.write(`ab-cli: ${dir} is not built: run 'pnpm --filter @latentlab/cli... build' there\n`);
    process.exit(1);
  }
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// wasm: the CLI's default backend, what users train on (the cpu backend is ~10× slower and adds nothing here).
const CASES = [
  ['vae', 'wasm'],
  ['ae', 'wasm'],
];
const median = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One `latentlab bench` run: its samples/s. */
function bench(dir, model, backend) {
  const args = [bin(dir), 'bench', '--model', model, '--backend', backend, '--limit', '10000'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout).samplesPerSecond;
}

const loads = [loadavg()];
process.stdout.write(
  [
    `A = ${path.resolve(a)}, B = ${path.resolve(b)}; \`latentlab bench --limit 10000\` (batch 128, MNIST), ${rounds} runs each, alternating.`,
    '',
    '| model | backend | A samples/s: median (runs) | B samples/s: median (runs) | B / A |',
    '|---|---|---|---|---|',
    '',
  ].join('\n'),
);
for (const [model, backend] of CASES) {
  const seen = { A: [], B: [] };
  for (let i = 0; i < rounds; i++) {
    for (const side of i % 2 === 0 ? ['A', 'B'] : ['B', 'A'])
      seen[side].push(bench(side === 'A' ? a : b, model, backend));
  }
  const [ma, mb] = [median(seen.A), median(seen.B)];
  const runs = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  // Each row as soon as it is measured, so a run cut short still leaves what it measured.
  process.stdout.write(
    `| ${model} | ${backend} | ${ma.toFixed(0)} (${runs(seen.A)}) | ${mb.toFixed(0)} (${runs(seen.B)}) | ${(mb / ma).toFixed(3)} |\n`,
  );
  loads.push(loadavg());
}
process.stdout.write(`\nLoad average (1, 5, 15 min) at the start and after each case: ${loads.join(' → ')}.\n`);
