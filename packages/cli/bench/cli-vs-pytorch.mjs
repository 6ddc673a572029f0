#!/usr/bin/env node
// `latentlab train` as a user runs it against PyTorch, side by side in one run: one epoch of the pytorch/examples
// VAE (784-400-20, batch 128, Adam 1e-3) on the 60 000 MNIST training images, the CLI with --workers 1, 2 and
// auto (built bin, a fresh process per run, --validation-split 0 so both train on all 60 000 rows), PyTorch 1.13
// (bench/vae_torch_epoch.py: main.py's model, loss and train loop) on 1 and 2 threads; the variants alternate
// within each round. Then the step's matrix products alone in both (bench/step-matmuls.mjs) and the CLI trainer's
// per-step overheads (bench/step-overheads.mjs), where the step's CPU time goes by V8's profiler
// (bench/step-cpu-profile.mjs), and `--workers auto`'s timeline beside the fixed counts (bench/auto-timeline.mjs).
// Writes packages/cli/BENCHMARKS.md. Usage (after `pnpm --filter @latentlab/cli... build`):
//   node bench/cli-vs-pytorch.mjs [rounds]     (default 2; also `pnpm bench` in packages/cli)
// CLI_BENCH_BEFORE=<an earlier checkout's packages/cli, built> (and CLI_BENCH_BEFORE_LABEL=<its commit>) adds that
// build's `--workers 1`, `2` and `auto` to every round, for a side-by-side of a change.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@latentlab/core/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const before = process.env.CLI_BENCH_BEFORE ? path.resolve(process.env.CLI_BENCH_BEFORE) : null;
const beforeLabel = process.env.CLI_BENCH_BEFORE_LABEL ?? 'earlier build';
const python = '/usr/bin/python3';
const rounds = Number(process.argv[2] ?? process.env.BENCH_ROUNDS ?? 2);
for (const dir of before ? [pkg, before] : [pkg]) {
  if (!existsSync(path.join(dir, 'dist/cli.js'))) {
    process.stderr.write(`cli-vs-pytorch: build ${dir} first: 'pnpm --filter @latentlab/cli... build'\n`);
    process.exit(1);
  }
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

/** Runs a command; resolves with its stdout, stderr and wall seconds (rejects on a non-zero exit). */
function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: pkg, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code === 0) resolve({ stdout, stderr, seconds });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'latentlab-cli-bench-'));
const cli = (workers, build = pkg, label = '') => ({
  name: `\`latentlab train --workers ${workers}\`${label ? ` (${label})` : ''}`,
  async measure() {
    const out = path.join(tmp, `run-${workers}-${Date.now()}`);
    const args = ['train', '--model', 'vae', '--dataset', 'mnist', '--epochs', '1', '--batch-size', '128'];
    const r = await run(process.execPath, [
      path.join(build, 'bin/latentlab.mjs'),
      ...args,
      '--validation-split',
      '0',
      '--workers',
      workers,
      '--out',
      out,
    ]);
    rmSync(out, { recursive: true, force: true });
    const [epoch] = JSON.parse(r.stdout).history;
    const auto = /workers auto: (.*)/.exec(r.stderr)?.[1] ?? '';
    return { epoch: epoch.samplesPerSecond, wall: 60000 / r.seconds, loss: epoch.loss, note: auto };
  },
});
const torch = (threads) => ({
  name: `PyTorch ${threads} thread${threads > 1 ? 's' : ''}`,
  async measure() {
    const r = await run(python, [path.join(here, 'vae_torch_epoch.py'), String(threads)], {
      OPENBLAS_NUM_THREADS: '1',
    });
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1));
    return {
      epoch: j.samplesPerSecond,
      wall: 60000 / r.seconds,
      loss: j.trainLoss,
      note: '',
      cpuStepMs: (1000 * j.cpuSeconds) / j.steps,
      version: j.torch,
    };
  },
});
const variants = [
  cli('1'),
  cli('2'),
  cli('auto'),
  ...(before ? [cli('1', before, beforeLabel), cli('2', before, beforeLabel), cli('auto', before, beforeLabel)] : []),
  torch(1),
  torch(2),
];
const results = new Map(variants.map((v) => [v.name, []]));
const loads = [loadavg()];
for (let round = 0; round < rounds; round++) {
  for (const v of variants) {
    const r = await v.measure();
    results.get(v.name).push(r);
    loads.push(loadavg());
    process.stderr.write(
      `round ${round + 1} ${v.name}: epoch ${r.epoch.toFixed(0)} samples/s, wall ${r.wall.toFixed(0)} ${r.note}\n`,
    );
  }
}
const products = JSON.parse((await run(process.execPath, [path.join(here, 'step-matmuls.mjs')])).stdout);
const over = JSON.parse((await run(process.execPath, [path.join(here, 'step-overheads.mjs')])).stdout);
const profile = JSON.parse((await run(process.execPath, [path.join(here, 'step-cpu-profile.mjs')])).stdout);
const timeline = JSON.parse((await run(process.execPath, [path.join(here, 'auto-timeline.mjs'), '2'])).stdout);
loads.push(loadavg());
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rows = variants.map((v) => {
  const rs = results.get(v.name);
  return { name: v.name, rs, epoch: median(rs.map((r) => r.epoch)), wall: median(rs.map((r) => r.wall)) };
});
const torchBest = Math.max(...rows.filter((r) => r.name.startsWith('PyTorch')).map((r) => r.epoch));
const f0 = (x) => x.toFixed(0);
/** Two [name, ms] lists side by side as table rows. */
const pairRows = (left, right) =>
  Array.from({ length: Math.max(left.length, right.length) }, (_, i) => {
    const cell = (e) => (e ? `${e[0]} | ${e[1].toFixed(2)}` : ' | ');
    return `| ${cell(left[i])} | | ${cell(right[i])} |`;
  }).join('\n');
/** [m, k] × [k, n] */
const shape = ([m, k, n]) => `[${m}, ${k}] × [${k}, ${n}]`;
const table = [
  '| what | epoch samples/s (median) | each round | whole command, samples/s | epoch loss | vs PyTorch best | note |',
  '| --- | ---: | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${f0(r.epoch)} | ${r.rs.map((x) => f0(x.epoch)).join(', ')} | ${f0(r.wall)} | ${r.rs[0].loss.toFixed(2)} | ${(r.epoch / torchBest).toFixed(2)}× | ${r.rs
        .map((x) => x.note)
        .filter(Boolean)
        .join('; ')} |`,
  ),
];
const torchRuns = rows.filter((r) => r.name.startsWith('PyTorch'));
const cpu = os.cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
const text = `# Benchmarks of @latentlab/cli

## \`latentlab train\` as users run it, against PyTorch

_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`cd packages/cli && node bench/cli-vs-pytorch.mjs ${rounds}\` (also \`pnpm bench\`) on ${machine}._
_Load average (1, 5, 15 min) before, between the runs and after: ${loads.join(' → ')}._

One epoch of the pytorch/examples \`vae/main.py\` VAE (784-400-20 MLP, ReLU, Bernoulli decoder, Adam 1e-3, batch
128, shuffled) over the 60 000 MNIST training images. The CLI: the built bin in a fresh process per run,
\`latentlab train --model vae --dataset mnist --epochs 1 --batch-size 128 --validation-split 0 --workers W\` (wasm
backend, one thread per tfjs instance in Node; \`auto\` rates 1, 2, ... workers on the run's first steps (builds
before 612e921: on a throwaway copy, before the run; from 612e921 to 517b931, \`fit\` first, then a switch to
worker threads; since, one run on its threads, with 1, then 2 of them computing) and says so on stderr, quoted in
the note). PyTorch ${torchRuns[0].rs[0].version}: \`bench/vae_torch_epoch.py THREADS\`, main.py's model, loss and
train loop (DataLoader, \`loss.item()\` every step), OPENBLAS_NUM_THREADS=1. The variants alternate, ${rounds} round(s).
*Epoch samples/s*: 60 000 over the epoch's own time (the CLI's \`history[0].samplesPerSecond\`, PyTorch's timed
loop); *whole command*: 60 000 over the wall time of the process (start-up, loading MNIST, \`auto\`'s measuring,
the checkpoint; PyTorch's import and load).

${table.join('\n')}

Floor of issue #16: the CLI ≥ 0.6× PyTorch's best figure of the run (${f0(torchBest)} samples/s → ${f0(0.6 * torchBest)}).

### The step's matrix products alone (\`bench/step-matmuls.mjs\`, same run, ms)

The ${products.products.length} products of one training step of this VAE as Latentlab's ops run them on wasm (operands
transposed explicitly, a large layer's forward product as (Wᵀ·xᵀ)ᵀ, bias gradients as 1ᵀ·dy), each timed alone:
tfjs-wasm in one Node thread, each with a right operand it has not packed yet, as in a training step (∂b's excepted:
∂W packed it); PyTorch \`torch.mm\` on 1 thread (\`bench/step_matmuls.py\`) of the same shapes, or of x·W itself
where tfjs-wasm transposes; the fastest of 200 single products. Their sum is a floor under a step's time with these
kernels, whatever else is cut.

| product | shape | tfjs-wasm | PyTorch 1 thread | ratio |
| --- | --- | ---: | ---: | ---: |
${products.products
  .map(
    (p) =>
      `| ${p.what} | ${shape([p.m, p.k, p.n])}${p.torch[0] === p.m && p.torch[2] === p.n ? '' : ` (PyTorch: ${shape(p.torch)})`} | ${p.wasmMs.toFixed(3)} | ${p.torchMs.toFixed(3)} | ${(p.wasmMs / p.torchMs).toFixed(2)}× |`,
  )
  .join('\n')}
| **all ${products.products.length}** |  | **${products.wasmProductsMs.toFixed(2)}** | **${products.torchProductsMs.toFixed(2)}** | **${(products.wasmProductsMs / products.torchProductsMs).toFixed(2)}×** |

tfjs-wasm's ${products.transposes.length} explicit transposes add ${products.wasmTransposesMs.toFixed(2)} ms. The forward products as plain x·W
instead, W packed anew as in a step: ${products.plainForward.map((p) => `${p.what} ${shape([p.m, p.k, p.n])} ${p.wasmMs.toFixed(3)} ms`).join('; ')}. A whole step's CPU
time in the same run: the CLI's \`fit\` ${over.stepCpuMs.toFixed(1)} ms (\`step-overheads.mjs\`), PyTorch 1 thread
${median(torchRuns[0].rs.map((r) => r.cpuStepMs)).toFixed(1)} ms (median of its rounds; \`vae_torch_epoch.py\`'s loop CPU time / steps).

### Per-step overheads of the CLI's trainer (\`bench/step-overheads.mjs\`, same run, wasm, ms)

| step as \`fit\` runs it (${over.stepsPerEpoch} batches of 128) | its CPU time | with the CLI's callbacks | NaN guard's clones (10 variables) | loss read-back (stack + data) | one checkpoint (weights, Adam, state) |
| ---: | ---: | ---: | ---: | ---: | ---: |
| ${over.stepMs.toFixed(2)} | ${over.stepCpuMs.toFixed(2)} | ${over.stepWithCliCallbacksMs.toFixed(2)} | ${over.nanGuardMs.toFixed(3)} | ${over.readBackMs.toFixed(3)} | ${over.checkpointMs.toFixed(0)} (per epoch) |

The step with tfjs-backend-wasm's own Identity kernel, which copies (what \`tf.clone\` and every tensor a gradient
saves ran before core's \`shareWasmIdentity\`), beside the sharing one that \`useBackend\` installs, in turn,
${over.identityRounds.shared.length} rounds (ms per step, median of epochs 2–4 each):
copying ${over.identityRounds.copying.map((x) => x.toFixed(2)).join(', ')} (median ${median(over.identityRounds.copying).toFixed(2)});
shared ${over.identityRounds.shared.map((x) => x.toFixed(2)).join(', ')} (median ${median(over.identityRounds.shared).toFixed(2)}).

### \`auto\` beside the fixed counts in one process (\`bench/auto-timeline.mjs 2\`, same run, wasm)

One epoch each, the settings in turn: the whole call, the epoch's own time (for workers, after the threads have
started), and every gap of more than 60 ms between two steps (before which step, how long, when).

| setting | whole, ms | epoch, ms | gaps | \`auto\` measured |
| --- | ---: | ---: | --- | --- |
${timeline.runs
  .map(
    (r) =>
      `| ${r.workers === 'auto' ? '`auto`' : `${r.workers} worker${r.workers > 1 ? 's' : ''}`} | ${r.ms} | ${r.epochMs} | ${r.gaps.map((g) => `step ${g.beforeStep}: ${g.ms} ms at ${g.at} ms`).join('; ')} | ${r.choice ?? ''} |`,
  )
  .join('\n')}

### Where a step's CPU time goes (\`bench/step-cpu-profile.mjs\`, same run, wasm, ms per step)

V8's sampling profiler over ${profile.steps} steps of \`fit\` (the reference VAE, the CLI's optimizer), self time summed by
what ran it: ${profile.stepMs.toFixed(1)} ms per step in all (the profiler adds a little). tfjs-wasm's compiled code is split by
the kernel it ran for (the exported function each sample was called through; \`(not through an export)\` is
Latentlab's SIMD Adam, a module of its own).

| tfjs-wasm kernel | ms | | JavaScript and the rest | ms |
| --- | ---: | --- | --- | ---: |
${pairRows(
  profile.wasmByKernel.slice(0, 10),
  Object.entries(profile.byOwner)
    .filter(([owner]) => owner !== 'wasm')
    .sort((a, b) => b[1] - a[1]),
)}
`;
// The analysis written by hand below the marker is kept from run to run.
const file = path.join(pkg, 'BENCHMARKS.md');
const marker = '<!-- kept by bench/cli-vs-pytorch.mjs -->';
const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n`;
await writeFileAtomic(file, `${text}\n${kept}`);
process.stdout.write(text);
