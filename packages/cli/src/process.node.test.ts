// The `latentlab` executable as users run it: the bin (bin/latentlab.mjs → dist/cli.js) in a child Node process — exit
// codes, stdout/stderr, Ctrl-C, and a process killed mid-run leaving its last checkpoint loadable.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/latentlab.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-bin-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

// 2 000 points near a 3-d subspace of R^12: big enough that an epoch takes a moment.
const csv = path.join(root, 'points.csv');
{
  const { dataset } = noisyLinearSubspace({ n: 2000, dim: 12, rank: 3, noise: 0.1, seed: 2 });
  const x = Array.from(dataset.x as ArrayLike<number>);
  const rows = Array.from({ length: 2000 }, (_, r) => x.slice(r * 12, r * 12 + 12).join(','));
  await fs.writeFile(csv, `${rows.join('\n')}\n`);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin in plain Node (no test-runner conditions); `control` may signal the child while it runs. */
function latentlab(args: string[], control?: (child: ChildProcess, stderr: () => string) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      control?.(child, () => stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const backend = () => tf.getBackend();
const train = (out: string, epochs: number) => [
  'train',
  '--model',
  'vae',
  '--dataset',
  csv,
  '--latent',
  '3',
  '--hidden',
  '32',
  '--epochs',
  String(epochs),
  '--batch-size',
  '16',
  '--backend',
  backend(),
  // one thread: these tests are about the process (checkpoints, signals), not --workers auto's calibration
  '--workers',
  '1',
  '--out',
  out,
];

describe('latentlab (the built bin in a child process)', () => {
  it('is built and prints help with exit 0; a wrong flag exits 2 with the usage', async () => {
    expect(existsSync(built), 'run the build first: pnpm --filter @latentlab/cli... build').toBe(true);
    const help = await latentlab(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: latentlab train');
    expect(help.stdout).toContain('--workers <n|auto>');
    expect(help.stdout).toContain('--validation-split <f>');
    const bad = await latentlab(['train', '--out', path.join(root, 'x'), '--epochs', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^latentlab train: --epochs: expected an integer in 1\.\.\d+, found "ten"/);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stdout).toBe('');
    // tfjs's "install tfjs-node" banner is silenced (PROD), and --version prints the package's version
    const version = await latentlab(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 60_000);

  it('trains with checkpoints and metrics as JSON; evaluates the run', async () => {
    const out = path.join(root, 'run');
    const r = await latentlab(train(out, 2));
    expect(r.code, r.stderr).toBe(0);
    // --validation-split 0.1 by default: ⌊2000 · 0.9⌋ = 1800 training rows, ⌈1800 / 16⌉ steps per epoch
    expect(JSON.parse(r.stdout)).toMatchObject({ stopReason: 'completed', steps: 2 * Math.ceil(1800 / 16) });
    expect(r.stderr).toMatch(/epoch 2\/2 loss .* val_loss \d/);
    expect(r.stderr).toMatch(/epoch 2\/2 loss .* checkpoint saved/);
    expect(r.stderr).not.toMatch(/tfjs-node|Hi, looks like/);
    const ev = await latentlab(['eval', out, '--backend', backend()]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout)).toMatchObject({ model: 'vae' });
  }, 120_000);

  it('Ctrl-C (SIGINT) stops before the next step with exit 130 and keeps the last checkpoint', async () => {
    const out = path.join(root, 'interrupted');
    let sent = false;
    const r = await latentlab(train(out, 1000), (child, stderr) => {
      if (!sent && /checkpoint saved/.test(stderr())) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(JSON.parse(r.stdout).stopReason).toBe('aborted');
    const ev = await latentlab(['eval', out, '--backend', backend()]);
    expect(ev.code, ev.stderr).toBe(0);
  }, 120_000);

  it('a process killed (SIGKILL) mid-run leaves a loadable checkpoint that resumes', async () => {
    const out = path.join(root, 'killed');
    let saves = 0;
    const r = await latentlab(train(out, 1000), (child, stderr) => {
      saves = stderr().match(/checkpoint saved/g)?.length ?? 0;
      if (saves >= 2 && !child.killed) child.kill('SIGKILL');
    });
    expect(r.signal).toBe('SIGKILL');
    const ev = await latentlab(['eval', out, '--backend', backend()]);
    expect(ev.code, ev.stderr).toBe(0);
    const resumed = await latentlab([...train(out, saves + 1), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .* at epoch \d+/);
    expect(JSON.parse(resumed.stdout).history.length).toBe(saves + 1);
  }, 300_000); // two trainings, an eval and a resume: minutes on a loaded machine
});
