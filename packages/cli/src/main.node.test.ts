import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli as run, writePointsCsv } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-cli-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

// A small synthetic CSV: 120 points near a 2-d subspace of R^6, with a header line.
const csv = await writePointsCsv(path.join(root, 'points.csv'), { n: 120, dim: 6, rank: 2, seed: 8, header: true });

const backend = () => tf.getBackend();
const trainArgs = (out: string, epochs: number) => [
  'train',
  '--model',
  'vae',
  '--dataset',
  csv,
  '--latent',
  '2',
  '--hidden',
  '8',
  '--epochs',
  String(epochs),
  '--batch-size',
  '32',
  '--lr',
  '0.005',
  '--seed',
  '3',
  '--backend',
  backend(),
  '--out',
  out,
];

describe('latentlab CLI', () => {
  it('prints help for the program and every command (exit 0)', async () => {
    for (const command of ['train', 'eval', 'sample', 'bench']) {
      const r = await run(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: latentlab ${command}`);
    }
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n {2}train/);
  });

  it('rejects unknown commands, unknown flags and bad values with exit code 2 and one line on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['fit'], /^latentlab: unknown command 'fit' \(did you mean 'bench'\?\)|^latentlab: unknown command 'fit'/],
      [['trian'], /unknown command 'trian' \(did you mean 'train'\?\)/],
      [['help', 'evl'], /unknown command 'evl' \(did you mean 'eval'\?\)/],
      [
        ['train', '--out', root, '--epoch', '3'],
        /^latentlab train: .*unknown option '--epoch' \(did you mean '--epochs'\?\)/,
      ],
      [['train', '--out'], /--out: expected a value, found none/],
      [
        ['train', '--out', root, '--epochs', '0', '--backend', backend()],
        /--epochs: expected an integer in 1\.\.\d+, found "0"/,
      ],
      [
        ['train', '--out', root, '--model', 'gan', '--backend', backend()],
        /--model: expected 'vae' \| 'ae' \| 'linear-ae' \| 'pca', found "gan"/,
      ],
      [['train', '--out', root, '--lr', 'fast', '--backend', backend()], /--lr: expected a number > 0, found "fast"/],
      [['train', '--epochs', '2', '--backend', backend()], /--out: expected a run directory, found nothing/],
      [
        ['train', '--out', root, '--backend', 'webgl'],
        /--backend: expected 'cpu' \| 'wasm' \| 'webgpu', found "webgl"/,
      ],
      [
        ['train', '--out', root, 'extra', '--backend', backend()],
        /expected no arguments besides options, found \["extra"\]/,
      ],
      [
        ['train', '--out', root, '--dataset', 'imagenet', '--backend', backend()],
        /--dataset: expected 'mnist', 'fashion-mnist' or a path ending in \.csv, found "imagenet"/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it("prints --version (the package's) and 'help <command>'", async () => {
    const pkg = JSON.parse(await fs.readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${pkg.version}\n`);
    const h = await run('help', 'sample');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: latentlab sample');
    const top = await run('help');
    expect(top.stdout).toMatch(/Exit codes:\n {2}0 {4}done/);
  });

  it('trains a VAE on a CSV with a checkpoint per epoch, evaluates, samples, and resumes to the uninterrupted losses', async () => {
    const out = path.join(root, 'vae');
    const first = await run(...trainArgs(out, 2));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/epoch 2\/2 loss .* checkpoint saved/);
    const history = JSON.parse(first.stdout).history as { loss: number }[];
    expect(history).toHaveLength(2);
    expect(existsSync(path.join(out, 'model.json'))).toBe(true);

    const ev = await run('eval', out, '--iwae', '20', '--backend', backend());
    expect(ev.code, ev.stderr).toBe(0);
    const metrics = JSON.parse(ev.stdout);
    expect(metrics).toMatchObject({ model: 'vae', examples: 120, iwae: { k: 20 } });
    expect(metrics.iwae.nll).toBeLessThanOrEqual(metrics.loss.loss + 1); // IWAE-20 ≥ ELBO up to noise
    expect(JSON.parse(await fs.readFile(path.join(out, 'metrics.json'), 'utf8'))).toEqual(metrics);

    const samples = path.join(root, 'samples.json');
    const s = await run('sample', out, '-n', '4', '--out', samples, '--backend', backend());
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(await fs.readFile(samples, 'utf8')).shape).toEqual([4, 6]);

    // Resume to 3 epochs; compare with a run of 3 epochs straight through.
    const resumed = await run(...trainArgs(out, 3), '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming');
    const straight = await run(...trainArgs(path.join(root, 'straight'), 3));
    type Log = { loss: number; kl: number };
    const a: Log[] = JSON.parse(straight.stdout).history;
    const b: Log[] = JSON.parse(resumed.stdout).history;
    expect(b).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      expect(Math.abs(b[e]!.loss - a[e]!.loss)).toBeLessThan(1e-5);
      expect(Math.abs(b[e]!.kl - a[e]!.kl)).toBeLessThan(1e-5);
    }
  }, 120_000);

  it('--workers 2 trains on worker threads, checkpoints and resumes: the losses of a one-thread run', async () => {
    const out = path.join(root, 'vae-workers');
    const first = await run(...trainArgs(out, 2), '--workers', '2');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/epoch 2\/2 loss .* checkpoint saved/);
    const resumed = await run(...trainArgs(out, 3), '--workers', '2', '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    const straight = await run(...trainArgs(path.join(root, 'straight-one-thread'), 3));
    type Log = { loss: number; kl: number };
    const a: Log[] = JSON.parse(straight.stdout).history;
    const b: Log[] = JSON.parse(resumed.stdout).history;
    expect(b).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      expect(Math.abs(b[e]!.loss - a[e]!.loss)).toBeLessThan(1e-5 * Math.abs(a[e]!.loss));
      expect(Math.abs(b[e]!.kl - a[e]!.kl)).toBeLessThan(1e-4 * Math.abs(a[e]!.kl) + 1e-6);
    }
    const bad = await run(...trainArgs(out, 3), '--workers', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--workers: expected 'auto' or an integer in 1\.\.256, found "0"/);
    // The threads start before the data loads: a run that never starts (its data missing) still ends them.
    const started: Worker[] = [];
    const count = (worker: Worker) => started.push(worker);
    process.on('worker', count);
    try {
      const missing = await run(
        ...trainArgs(path.join(root, 'no-data'), 1),
        '--workers',
        '2',
        '--dataset',
        `${csv}.gone`,
      );
      expect(missing.code, missing.stderr).not.toBe(0);
      expect(missing.stderr).toMatch(/\.gone/);
      await vi.waitFor(() => expect(started).toHaveLength(2), { timeout: 60_000 });
      for (const worker of started) expect(worker.threadId).toBe(-1); // ended: Node sets -1 once a thread has exited
    } finally {
      process.off('worker', count);
    }
  }, 120_000);

  it('trains and evaluates PCA, benchmarks an autoencoder, refuses to sample a non-VAE, reports a broken checkpoint', async () => {
    const out = path.join(root, 'pca');
    const t = await run(
      'train',
      '--model',
      'pca',
      '--dataset',
      csv,
      '--latent',
      '2',
      '--backend',
      backend(),
      '--out',
      out,
    );
    expect(t.code, t.stderr).toBe(0);
    const ev = await run('eval', out, '--backend', backend());
    expect(ev.code, ev.stderr).toBe(0);
    const m = JSON.parse(ev.stdout);
    expect(m.nComponents).toBe(2);
    expect(m.cumulativeExplainedVariance).toBeGreaterThan(0.8); // rank-2 signal, noise 0.1
    const s = await run('sample', out, '--backend', backend());
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/expected a VAE run, found a Pca run/);

    const b = await run('bench', '--model', 'linear-ae', '--dataset', csv, '--latent', '2', '--backend', backend());
    expect(b.code, b.stderr).toBe(0);
    const r = JSON.parse(b.stdout);
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.examples).toBe(120);

    await fs.writeFile(path.join(out, 'model.json'), '{ broken');
    const broken = await run('eval', out, '--backend', backend());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/model\.json/);
    expect(broken.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);
});
