import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as run, writePointsCsv } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-cli-val-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));
const csv = await writePointsCsv(path.join(root, 'points.csv'), { n: 100, dim: 6, rank: 2, seed: 4 });
const args = (out: string, ...more: string[]) => [
  'train',
  ...['--dataset', csv, '--latent', '2', '--hidden', '8', '--batch-size', '30'],
  ...['--backend', tf.getBackend(), '--out', out, ...more],
];
type Log = { loss: number; validation: { loss: number } | null };

describe('latentlab train --validation-split', () => {
  it('holds out a tenth by default and reports its loss every epoch; 0 turns it off; a resume keeps it', async () => {
    const out = path.join(root, 'default');
    const r = await run(...args(out, '--epochs', '2'));
    expect(r.code, r.stderr).toBe(0);
    const history: Log[] = JSON.parse(r.stdout).history;
    expect(history).toHaveLength(2);
    for (const h of history) expect(h.validation!.loss).toBeGreaterThan(0);
    expect(r.stderr.match(/val_loss \d+\.\d+/g)).toHaveLength(2);
    // 100 rows, split 0.1: 90 training rows in 3 batches of 30 (workers auto: too short to measure → 1)
    expect(r.stderr).toMatch(/workers auto: a run of fewer than 300 steps → 1/);
    expect(JSON.parse(await fs.readFile(path.join(out, 'run.json'), 'utf8')).validationSplit).toBe(0.1);

    const off = await run(...args(path.join(root, 'off'), '--epochs', '2', '--validation-split', '0'));
    expect(off.code, off.stderr).toBe(0);
    for (const h of JSON.parse(off.stdout).history as Log[]) expect(h.validation).toBeNull();
    expect(off.stderr).not.toMatch(/val_loss/);

    const resumed = await run(...args(out, '--epochs', '3', '--resume'));
    expect(resumed.code, resumed.stderr).toBe(0);
    const more: Log[] = JSON.parse(resumed.stdout).history;
    expect(more).toHaveLength(3);
    expect(more[2]!.validation!.loss).toBeGreaterThan(0);
    const changed = await run(...args(out, '--resume', '--validation-split', '0.2'));
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/--validation-split: expected the run's split \(0\.1\) or none with --resume/);
  }, 120_000);

  it('refuses a split outside [0, 1) with exit code 2', async () => {
    for (const bad of ['1', '1.5', 'most']) {
      const r = await run(...args(path.join(root, 'bad'), '--validation-split', bad));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--validation-split: expected a number/);
    }
  });
});
