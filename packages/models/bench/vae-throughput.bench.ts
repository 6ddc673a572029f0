// Training throughput of the reference VAE (pytorch/examples vae/main.py: 784-400-20 MLP, ReLU, Bernoulli decoder,
// BCE summed over pixels + KL, Adam 1e-3, batch 128) on the wasm and cpu backends: tfjs's own autodiff of the
// plain composition beside Latentlab's ops (dense / denseRelu / core's bernoulliNll with hand-written gradients),
// side by side in one run, plus PyTorch (Debian's python3-torch) when installed. Also a per-kernel profile of one
// step. Writes the "VAE training throughput" section of packages/models/BENCHMARKS.md.
//   VAE_BENCH_QUICK=1 for a short trial run (figures not written).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bernoulliNll, createRng, gaussianKl, type Rng, reparameterize } from '@latentlab/core';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { dense } from '../src/ops/dense.js';
import { denseRelu } from '../src/ops/dense-relu.js';
import { FusedAdam } from '../src/ops/fused-adam.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.VAE_BENCH_QUICK === '1';
const [BATCH, IN, HIDDEN, LATENT] = [128, 784, 400, 20];

type Params = Record<'w1' | 'b1' | 'w21' | 'b21' | 'w22' | 'b22' | 'w3' | 'b3' | 'w4' | 'b4', tf.Variable>;
type Loss = (p: Params, x: tf.Tensor2D, eps: tf.Tensor2D) => tf.Scalar;

/** PyTorch's nn.Linear initialisation: W and b uniform in ±1/√fanIn. */
function initParams(rng: Rng): Params {
  const layer = (fanIn: number, fanOut: number) => {
    const a = 1 / Math.sqrt(fanIn);
    return [tf.variable(rng.uniform([fanIn, fanOut], -a, a)), tf.variable(rng.uniform([fanOut], -a, a))] as const;
  };
  const [w1, b1] = layer(IN, HIDDEN);
  const [w21, b21] = layer(HIDDEN, LATENT);
  const [w22, b22] = layer(HIDDEN, LATENT);
  const [w3, b3] = layer(LATENT, HIDDEN);
  const [w4, b4] = layer(HIDDEN, IN);
  return { w1, b1, w21, b21, w22, b22, w3, b3, w4, b4 };
}

const as2 = (v: tf.Variable) => v as unknown as tf.Tensor2D;
const as1 = (v: tf.Variable) => v as unknown as tf.Tensor1D;

/** The plain tfjs composition; tfjs's registered gradients do the backward pass. */
const plainLoss: Loss = (p, x, eps) => {
  const affine = (h: tf.Tensor2D, w: tf.Variable, b: tf.Variable) => tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
  const h1 = tf.relu(affine(x, p.w1, p.b1));
  const mu = affine(h1, p.w21, p.b21);
  const logVar = affine(h1, p.w22, p.b22);
  const z = reparameterize(mu, logVar, eps);
  const logits = affine(tf.relu(affine(z, p.w3, p.b3)), p.w4, p.b4);
  return tf.add(
    tf.sum(tf.losses.sigmoidCrossEntropy(x, logits, undefined, 0, tf.Reduction.NONE)),
    tf.sum(gaussianKl(mu, logVar)),
  );
};

/** The same model on Latentlab's ops with hand-written gradients. */
const fastLoss: Loss = (p, x, eps) => {
  const h1 = denseRelu(x, as2(p.w1), as1(p.b1), { inputGradient: false });
  const mu = dense(h1, as2(p.w21), as1(p.b21));
  const logVar = dense(h1, as2(p.w22), as1(p.b22));
  const z = reparameterize(mu, logVar, eps);
  const logits = dense(denseRelu(z, as2(p.w3), as1(p.b3)), as2(p.w4), as1(p.b4));
  return tf.add(tf.sum(bernoulliNll(x, logits)), tf.sum(gaussianKl(mu, logVar)));
};

const VARIANTS = {
  plain: { loss: plainLoss, optimizer: () => tf.train.adam(1e-3), label: 'plain tfjs (autodiff, tf.train.adam)' },
  ops: { loss: fastLoss, optimizer: () => tf.train.adam(1e-3), label: 'Latentlab ops, tf.train.adam' },
  fused: {
    loss: fastLoss,
    optimizer: () => new FusedAdam({ learningRate: 1e-3, update: 'kernels' }),
    label: 'Latentlab ops + FusedAdam (kernels)',
  },
  fusedJs: {
    loss: fastLoss,
    optimizer: () => new FusedAdam({ learningRate: 1e-3, update: 'js' }),
    label: "Latentlab ops + FusedAdam (update 'js')",
  },
} as const;
type Variant = keyof typeof VARIANTS;

class Trainer {
  readonly params: Params;
  readonly vars: tf.Variable[];
  readonly optimizer: tf.Optimizer;
  readonly loss: Loss;
  readonly rng: Rng;
  constructor(variant: Variant, seed: number) {
    this.loss = VARIANTS[variant].loss;
    this.optimizer = VARIANTS[variant].optimizer();
    this.rng = createRng(seed);
    this.params = initParams(this.rng);
    this.vars = Object.values(this.params);
  }
  /** One training step on batch x; returns the summed loss (read back, as pytorch/examples' loss.item()). */
  step(x: tf.Tensor2D): number {
    const eps = this.rng.normal([BATCH, LATENT]) as tf.Tensor2D;
    const loss = this.optimizer.minimize(() => this.loss(this.params, x, eps), true, this.vars) as tf.Scalar;
    const value = loss.dataSync()[0]!;
    tf.dispose([loss, eps]);
    return value;
  }
  dispose() {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface KernelRow {
  name: string;
  ms: number;
  calls: number;
}

/** Per-kernel time of one training step (forward + backward, then the Adam update), averaged over `steps`. */
async function profileStep(trainer: Trainer, batches: tf.Tensor2D[], steps: number) {
  const backend = tf.getBackend();
  const collect = new Map<string, { grads: KernelRow; adam: KernelRow }>();
  const add = (part: 'grads' | 'adam', info: Awaited<ReturnType<typeof tf.profile>>) => {
    for (const k of info.kernels) {
      // Composite nodes (customGrad, fused ops' wrappers) time their inner kernels again: keep real kernels only.
      if (!tf.getKernel(k.name, backend)) continue;
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const row = collect.get(k.name) ?? {
        grads: { name: k.name, ms: 0, calls: 0 },
        adam: { name: k.name, ms: 0, calls: 0 },
      };
      row[part].ms += ms / steps;
      row[part].calls += 1 / steps;
      collect.set(k.name, row);
    }
  };
  for (let i = 0; i < steps; i++) {
    const x = batches[i % batches.length]!;
    const eps = trainer.rng.normal([BATCH, LATENT]) as tf.Tensor2D;
    let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
    add(
      'grads',
      await tf.profile(() => {
        result = tf.variableGrads(() => trainer.loss(trainer.params, x, eps), trainer.vars);
        result.value.dataSync();
        return [];
      }),
    );
    add(
      'adam',
      await tf.profile(() => {
        trainer.optimizer.applyGradients(Object.entries(result!.grads).map(([name, tensor]) => ({ name, tensor })));
        trainer.vars[0]!.dataSync();
        return [];
      }),
    );
    tf.dispose([eps, result!.value, ...Object.values(result!.grads)]);
  }
  const rows = [...collect.values()];
  const part = (p: 'grads' | 'adam') =>
    rows
      .map((r) => r[p])
      .filter((r) => r.calls > 0)
      .sort((a, b) => b.ms - a.ms);
  return { grads: part('grads'), adam: part('adam') };
}

function formatProfile(title: string, grads: KernelRow[], adam: KernelRow[], table = true, top = 10): string {
  const sum = (rows: KernelRow[]) => rows.reduce((s, r) => s + r.ms, 0);
  const total = sum(grads) + sum(adam);
  const calls = (rows: KernelRow[]) => Math.round(rows.reduce((s, r) => s + r.calls, 0));
  const lines = [
    `**${title}**: ${total.toFixed(1)} ms of kernel time per step — forward + backward ${sum(grads).toFixed(1)} ms` +
      ` (${calls(grads)} kernel calls), Adam update ${sum(adam).toFixed(1)} ms (${calls(adam)} kernel calls, ${((100 * sum(adam)) / total).toFixed(0)} %).`,
  ];
  if (!table) return lines[0]!;
  lines.push('', '| part | kernel | calls | ms / step | % of step |', '| --- | --- | ---: | ---: | ---: |');
  const row = (p: string, r: KernelRow) =>
    `| ${p} | ${r.name} | ${Math.round(r.calls)} | ${r.ms.toFixed(2)} | ${((100 * r.ms) / total).toFixed(1)} |`;
  for (const r of grads.slice(0, top)) lines.push(row('fwd + bwd', r));
  for (const r of adam.slice(0, 5)) lines.push(row('Adam', r));
  return lines.join('\n');
}

interface Figure {
  what: string;
  /** Median over rounds. */
  samplesPerSec: number | null;
  /** Fastest round: the least disturbed by other jobs on the machine. */
  best?: number;
  /** Median of samples per second of CPU time used by the process (user + system): robust to other jobs. */
  perCpuSecond?: number;
  note?: string;
}

function torchFigures(): { figures: Figure[]; meta: string } {
  const python = '/usr/bin/python3';
  const missing = (note: string) => ({ figures: [{ what: 'PyTorch (CPU)', samplesPerSec: null, note }], meta: '' });
  if (!existsSync(python)) return missing('/usr/bin/python3 not found');
  let out: string;
  try {
    out = execFileSync(python, [join(here, 'vae_torch.py'), quick ? '1' : '0'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '2' },
    });
  } catch (e) {
    return missing(
      `not run (${String((e as Error).message).split('\n')[0]}); install it with apt-get install python3-torch`,
    );
  }
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const meta = lines.find((l) => l.meta);
  return {
    meta: meta ? `PyTorch ${meta.torch} (Debian python3-torch), ${meta.cpu}` : '',
    figures: lines
      .filter((l) => !l.meta)
      .map((l) => ({
        what: `PyTorch CPU, ${l.threads} thread${l.threads > 1 ? 's' : ''}`,
        samplesPerSec: l.samplesPerSec,
        best: l.best,
        perCpuSecond: l.threads === 1 ? l.perCpuSecond : undefined,
      })),
  };
}

test('reference VAE training throughput: plain tfjs vs Latentlab ops, wasm and cpu, beside PyTorch', async () => {
  // Rounds interleave the variants (the machine is shared and noisy); each figure is the median over rounds.
  const config = {
    wasm: { warmup: quick ? 2 : 5, rounds: quick ? 3 : 25, steps: quick ? 3 : 3, profile: quick ? 2 : 10 },
    cpu: { warmup: quick ? 1 : 2, rounds: quick ? 1 : 4, steps: quick ? 1 : 2, profile: 1 },
  };
  const figures: Figure[] = [];
  const profiles: string[] = [];
  const variants = Object.keys(VARIANTS) as Variant[];
  for (const backend of ['wasm', 'cpu'] as const) {
    await tf.setBackend(backend);
    const { warmup, rounds, steps, profile } = config[backend];
    const dataRng = createRng(7);
    const batches = Array.from({ length: 4 }, () => dataRng.uniform([BATCH, IN]) as tf.Tensor2D); // grey levels in [0, 1)
    const trainers = Object.fromEntries(variants.map((v) => [v, new Trainer(v, 1)])) as Record<Variant, Trainer>;
    // Same initial weights, same batch, same ε: the first loss must agree across variants (same model, same math).
    const first = variants.map((v) => trainers[v].step(batches[0]!));
    for (const loss of first) expect(Math.abs(loss - first[0]!)).toBeLessThan(1e-4 * Math.abs(first[0]!));
    for (const v of variants) for (let s = 1; s < warmup; s++) trainers[v].step(batches[s % 4]!);
    const rates = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
    const cpuRates = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        for (let s = 0; s < steps; s++) trainers[v].step(batches[(r * steps + s) % 4]!);
        rates[v].push((BATCH * steps * 1000) / (performance.now() - t0));
        const cpu = process.cpuUsage(c0);
        cpuRates[v].push((BATCH * steps * 1e6) / (cpu.user + cpu.system));
      }
    }
    for (const v of variants) {
      figures.push({
        what: `tfjs ${backend}, ${VARIANTS[v].label}`,
        samplesPerSec: median(rates[v]),
        best: Math.max(...rates[v]),
        perCpuSecond: median(cpuRates[v]),
      });
      const p = await profileStep(trainers[v], batches, profile);
      profiles.push(formatProfile(`${backend}, ${VARIANTS[v].label}`, p.grads, p.adam, v === 'plain' || v === 'fused'));
      trainers[v].dispose();
    }
    tf.dispose(batches);
  }
  await tf.setBackend('wasm');
  const torch = torchFigures();
  figures.push(...torch.figures);
  const summary = figures
    .map(
      (f) =>
        `${f.what}: ${f.samplesPerSec?.toFixed(0) ?? f.note} (best ${f.best?.toFixed(0)}, per CPU-s ${f.perCpuSecond?.toFixed(0)})`,
    )
    .join('\n');
  console.log(`${summary}\n\n${profiles.join('\n\n')}`);
  expect(figures.filter((f) => f.what.startsWith('tfjs')).every((f) => (f.samplesPerSec ?? 0) > 0)).toBe(true);
  if (quick) return;

  const plainOf = (what: string) =>
    figures.find((f) => f.what === `${what.split(',')[0]}, ${VARIANTS.plain.label}`)?.samplesPerSec ?? null;
  const rows = figures.map((f) => {
    const base = f.what.startsWith('tfjs') ? plainOf(f.what) : null;
    const ratio = base && f.samplesPerSec ? `${(f.samplesPerSec / base).toFixed(1)}×` : '';
    return `| ${f.what} | ${f.samplesPerSec?.toFixed(0) ?? '—'} | ${f.best?.toFixed(0) ?? ''} | ${f.perCpuSecond?.toFixed(0) ?? ''} | ${ratio} | ${f.note ?? ''} |`;
  });
  const { wasm, cpu } = config;
  const ours = [VARIANTS.fused.label, VARIANTS.fusedJs.label]
    .map((label) => figures.find((f) => f.what === `tfjs wasm, ${label}`))
    .reduce((a, b) => ((b?.samplesPerSec ?? 0) > (a?.samplesPerSec ?? 0) ? b : a));
  const floorLine =
    ours?.samplesPerSec && ours.samplesPerSec >= 5000
      ? `Latentlab ops on wasm clear the 5 000 samples/s floor in this run (median ${ours.samplesPerSec.toFixed(0)}).`
      : `The 5 000 samples/s floor on wasm: median ${ours?.samplesPerSec?.toFixed(0)} and best round ${ours?.best?.toFixed(0)} in this run, on one thread (load average ${os.loadavg()[0]!.toFixed(1)} at the end). On both cores, \`trainInWorkers\` (section "VAE training in worker threads") clears it.`;
  const body = `
The reference VAE of pytorch/examples \`vae/main.py\` (784-400-20 MLP, ReLU, Bernoulli decoder, BCE summed over
pixels + KL, Adam 1e-3, batch 128), one training step = forward, backward, Adam update and reading the loss back
(as \`loss.item()\`), on synthetic MNIST-shaped batches (uniform grey levels in [0, 1)). All variants start from the
same weights (PyTorch's nn.Linear initialisation) and their first losses agree. Rounds alternate between the
variants; each figure is the median over rounds of samples/s (wasm: ${wasm.rounds} rounds × ${wasm.steps} steps,
cpu: ${cpu.rounds} × ${cpu.steps}, after ${wasm.warmup} / ${cpu.warmup} warm-up steps). tfjs-wasm runs one thread
in Node (SIMD on). PyTorch runs in a subprocess afterwards, with \`torch.set_num_threads(1 | 2)\` and
OPENBLAS_NUM_THREADS=1${torch.meta ? `: ${torch.meta}` : ''}.

- *plain tfjs*: \`tf.relu(tf.add(tf.matMul(x, W), b))\` layers, tfjs's \`tf.losses.sigmoidCrossEntropy\`, core's \`gaussianKl\`,
  \`reparameterize\`; tfjs's registered gradients; \`tf.train.adam\`.
- *Latentlab ops*: \`denseRelu\` / \`dense\` (hand-written gradients whose matMuls are all the plain, fast kind on
  wasm; the first layer with \`inputGradient: false\`) and core's \`bernoulliNll\` (gradient σ(l) − x), same core KL and
  reparameterisation; with \`tf.train.adam\`, or with \`FusedAdam\` (bias corrections folded) either as backend
  kernels (\`update: 'kernels'\`, what \`'auto'\` picks on wasm and WebGL: on wasm one SIMD kernel of Latentlab's
  per variable, \`LatentlabAdamWasm\` in src/ops/wasm/, elsewhere 12 element-wise kernels) or as one JavaScript
  loop per variable over the gradient and weights read back (\`update: 'js'\`, what \`'auto'\` picks on cpu; its
  time is JavaScript, not kernels, so the profile shows no Adam kernels for it).

| what | samples / s (median) | best round | per CPU-second | median vs plain tfjs | note |
| --- | ---: | ---: | ---: | ---: | --- |
${rows.join('\n')}

The machine is shared with other jobs: figures move by ±20 % from run to run (more for PyTorch's 2 threads, which
compete with them for the 2 cores); compare within a run. The best round shows the speed when least disturbed.
"Per CPU-second" divides by the CPU time the process itself used (\`process.cpuUsage\`, Python's
\`time.process_time\`; one thread only). Close to the wall-clock rate, the process kept its CPU and what the other
jobs took away was shared hardware (the host's cores behind the 2 vCPUs, caches, memory bandwidth); well above it,
the process waited for a CPU, and per CPU-second is the fairer comparison between variants.

${floorLine}

What limits wasm now: most of the kernel time is matMul, near what one wasm SIMD thread does without FMA; a step
needs ≈ 420 MFLOP (forward 167, ∂W 167, ∂x 87; ∂x of the first layer is skipped). tfjs-wasm is single-threaded in
Node; PyTorch (oneDNN, AVX2 + FMA) does ≈ 2–3× more per thread. Inside a step a product costs more than alone:
XNNPACK packs a product's right operand into its own layout first and caches that per tensor, and in training every
right operand is a new tensor (the weights after each Adam update, the gradients). That is why a large layer's
forward product runs as (Wᵀ·xᵀ)ᵀ while training (ops/dense-grad.ts): it packs xᵀ (128·in values) instead of W
(in·out), ≈ 3 ms less per step for each of the 784 × 400 layers (packages/cli/BENCHMARKS.md, "Where a step's CPU
time goes"). The rest: the stable BCE's log, transposes, copies of saved tensors, the Adam update (one pass over
630 k parameters on wasm), and ≈ 10–20 µs of JavaScript per kernel call.

FusedAdam's JavaScript update (\`update: 'js'\`) against its kernels: on cpu the loop replaces kernels that are
≈ 20× slower there (the whole step gains ≈ 25 % per CPU-second), so \`'auto'\` uses it; on wasm the kernel is
Latentlab's SIMD pass, which reads g, m, v and w once where tfjs's 12 kernels made 12 passes, and faster than the
JavaScript loop (which also reads back and uploads w1 and w4, 314 k values each), so \`'auto'\` keeps it. Both
cores: data parallelism over Node \`worker_threads\` (\`trainInWorkers\` in \`@latentlab/models/node\`, one
tfjs-wasm instance per share of the batch) is measured in the section "VAE training in worker threads".

### Per-kernel profile of one training step

From \`tf.profile\` (kernel time only, averaged over ${wasm.profile} steps on wasm, ${cpu.profile} on cpu; composite
nodes such as \`customGrad\` wrappers are left out so no time is counted twice). "Before" is the plain tfjs
variant, "after" the Latentlab ops with FusedAdam (kernels).

${profiles.join('\n\n')}
`;
  writeBenchmarkSection(
    join(here, '..', 'BENCHMARKS.md'),
    'VAE training throughput: tfjs wasm and cpu vs PyTorch',
    'cd packages/models && npx vitest run --config vitest.bench.config.ts bench/vae-throughput.bench.ts',
    body,
  );
});
