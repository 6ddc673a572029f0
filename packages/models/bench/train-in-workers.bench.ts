// Training throughput of the reference VAE (pytorch/examples vae/main.py: 784-400-20 MLP, ReLU, Bernoulli decoder,
// Adam 1e-3, batch 128) on real MNIST with the wasm backend: `train` on one thread beside `trainInWorkers` with 1
// and 2 worker threads (data parallelism; 2 workers also with Adam's JavaScript loop, `update: 'js'`, the way
// workers updated θ before the SIMD call), side by side in one run, plus PyTorch with 1 and 2 threads when
// Debian's python3-torch is installed. Writes the "VAE training in worker threads" section of BENCHMARKS.md.
//   VAE_BENCH_QUICK=1 for a short trial run (figures not written).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, datasetFromImages, subset } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import type { WorkerProfile } from '../src/parallel/protocol.js';
import { trainInWorkers } from '../src/parallel/train-in-workers.js';
import { Vae } from '../src/vae.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.VAE_BENCH_QUICK === '1';
const ROWS = quick ? 2560 : 19_200; // 150 batches of 128 per round
const ROUNDS = quick ? 1 : 5;

type Variant = 'train' | 'workers-1' | 'workers-2' | 'workers-2-js';
const VARIANTS: Variant[] = ['train', 'workers-1', 'workers-2', 'workers-2-js'];

interface Round {
  /** Steady-state rate: rows over the epoch's own time (worker start-up excluded). */
  samplesPerSec: number;
  /** Including start-up (spawning the workers, loading their backend, copying the data). */
  wallSamplesPerSec: number;
  /** Rows per second of CPU time used by the whole process (all threads). */
  perCpuSecond: number;
  profiles: WorkerProfile[];
  loss: number;
}

async function runRound(variant: Variant, data: Dataset): Promise<Round> {
  const vae = new Vae({ seed: 0 });
  let profiles: WorkerProfile[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result =
    variant === 'train'
      ? await vae.fit(data, { epochs: 1, yieldEveryMs: 1000 })
      : await trainInWorkers(vae, data, {
          epochs: 1,
          workers: variant === 'workers-1' ? 1 : 2,
          backend: 'wasm',
          ...(variant === 'workers-2-js' ? { optimizer: { name: 'adam', learningRate: 1e-3, update: 'js' } } : {}),
          onWorkerEpochEnd: (_, reports) => {
            profiles = reports.map((r) => r.milliseconds);
          },
        });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  vae.dispose();
  const epoch = result.history[0]!;
  return {
    samplesPerSec: epoch.samplesPerSecond,
    wallSamplesPerSec: ROWS / wall,
    perCpuSecond: ROWS / ((cpu.user + cpu.system) / 1e6),
    profiles,
    loss: epoch.loss,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function torchRates(): { rows: string[]; meta: string } {
  const python = '/usr/bin/python3';
  try {
    if (!existsSync(python)) throw new Error('/usr/bin/python3 not found');
    const out = execFileSync(python, [join(here, 'vae_torch.py'), quick ? '1' : '0'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '2' },
    });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const meta = lines.find((l) => l.meta);
    return {
      meta: meta ? `PyTorch ${meta.torch} (Debian python3-torch), ${meta.cpu}` : '',
      rows: lines
        .filter((l) => !l.meta)
        .map(
          (l) =>
            `| PyTorch CPU, ${l.threads} thread${l.threads > 1 ? 's' : ''} (synthetic batches) | ${l.samplesPerSec.toFixed(0)} | ${l.best.toFixed(0)} | – | ${l.threads === 1 ? l.perCpuSecond.toFixed(0) : '–'} |`,
        ),
    };
  } catch (e) {
    const why = String((e as Error).message).split('\n')[0];
    return { meta: '', rows: [`| PyTorch | not run (${why}; apt-get install python3-torch) | | | |`] };
  }
}

test('reference VAE: train on one thread vs trainInWorkers with 1 and 2 workers (wasm), beside PyTorch', async () => {
  expect(tf.getBackend()).toBe('wasm');
  const mnist = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const data = subset(
    mnist,
    Int32Array.from({ length: ROWS }, (_, i) => i),
  );
  await runRound(
    'workers-2',
    subset(
      data,
      Int32Array.from({ length: 1280 }, (_, i) => i),
    ),
  ); // warm-up
  await runRound(
    'train',
    subset(
      data,
      Int32Array.from({ length: 1280 }, (_, i) => i),
    ),
  );
  const rounds: Record<Variant, Round[]> = { train: [], 'workers-1': [], 'workers-2': [], 'workers-2-js': [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Interleaved, rotating the order: the machine is shared and its load drifts.
    for (let k = 0; k < VARIANTS.length; k++) {
      const variant = VARIANTS[(k + r) % VARIANTS.length]!;
      rounds[variant].push(await runRound(variant, data));
    }
  }
  // The same seed gives the same first-epoch loss whatever the thread count.
  const losses = VARIANTS.map((v) => rounds[v][0]!.loss);
  for (const l of losses) expect(Math.abs(l - losses[0]!)).toBeLessThan(1e-3 * losses[0]!);
  const torch = torchRates();
  const label: Record<Variant, string> = {
    train: '`train` (one thread, Latentlab ops + FusedAdam kernels)',
    'workers-1': '`trainInWorkers`, 1 worker',
    'workers-2': '`trainInWorkers`, 2 workers',
    'workers-2-js': "`trainInWorkers`, 2 workers, Adam `update: 'js'` (the loop)",
  };
  const base = median(rounds.train.map((r) => r.samplesPerSec));
  const table = VARIANTS.map((v) => {
    const rs = rounds[v];
    const med = median(rs.map((r) => r.samplesPerSec));
    return `| ${label[v]} | ${med.toFixed(0)} | ${Math.max(...rs.map((r) => r.samplesPerSec)).toFixed(0)} | ${median(rs.map((r) => r.wallSamplesPerSec)).toFixed(0)} | ${median(rs.map((r) => r.perCpuSecond)).toFixed(0)} | ${(med / base).toFixed(2)}× |`;
  });
  const steps = Math.ceil(ROWS / 128);
  const profile = (v: Variant) =>
    rounds[v]
      .at(-1)!
      .profiles.map(
        (p, w) =>
          `| ${label[v].replace('`trainInWorkers`, ', '')}: worker ${w} | ${(
            ['batch', 'wait', 'load', 'compute', 'read', 'adam'] as const
          )
            .map((k) => (p[k] / steps).toFixed(2))
            .join(' | ')} |`,
      );
  const body = `The reference VAE of pytorch/examples \`vae/main.py\` (784-400-20 MLP, ReLU, Bernoulli decoder, Adam 1e-3,
batch 128, PyTorch's initialisation, seed 0), one epoch over the first ${ROWS} MNIST training images per round, on
the wasm backend (SIMD; one thread per tfjs instance in Node). ${ROUNDS} interleaved rounds per variant; figures are
medians. *Epoch rate*: rows over the epoch's own time (for workers, after they have started); *with start-up*: over
the whole call (spawning the workers, initialising their wasm backends, copying the data to shared memory);
*per CPU-second*: rows over the CPU time of the whole process (all threads). All variants reach the same epoch loss
(${losses.map((l) => l.toFixed(3)).join(', ')}): the same run, split differently.

| what | epoch rate (samples/s) | best round | with start-up | per CPU-second | vs \`train\` |
| --- | ---: | ---: | ---: | ---: | ---: |
${table.join('\n')}
${torch.rows.join('\n')}

${torch.meta ? `${torch.meta}; its figures are step rates on synthetic batches (\`bench/vae_torch.py\`), OPENBLAS_NUM_THREADS=1.\n` : ''}
Where a worker's time goes per step (ms, last round): building the batch, waiting at the two barriers, copying θ
from shared memory into its variables, forward + backward of its rows, reading the gradient back into shared
memory, Adam on its half of θ (the workers' gradients summed, then updated, by WebAssembly SIMD calls on the shared
memory; with \`update: 'js'\` a JavaScript sum and loop, float64 arithmetic):

| worker | batch | wait | load | compute | read | adam |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${[...profile('workers-1'), ...profile('workers-2'), ...profile('workers-2-js')].join('\n')}

The machine is shared (2 vCPUs): two workers need both, so any other job slows them first; compare within a run.`;
  if (!quick) {
    writeBenchmarkSection(
      join(here, '..', 'BENCHMARKS.md'),
      'VAE training in worker threads',
      'cd packages/models && npx vitest run --config vitest.bench.config.ts bench/train-in-workers.bench.ts',
      body,
    );
  }
  console.log(body);
});
