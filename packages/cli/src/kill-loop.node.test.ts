// kill -9 at random moments while `latentlab train` checkpoints every epoch (issue 12): after every kill the run
// directory holds a valid run.json and a checkpoint that loads, `train --resume` continues from it (the epoch
// advances), and no temp file of the killed process survives the next save. Kills are seeded; about half are
// triggered by a temp file appearing in the run directory (inotify via fs.watch), so some land inside a save.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@latentlab/core';
import { loadModel } from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writePointsCsv } from './test-support/cli.js';

const bin = fileURLToPath(new URL('../bin/latentlab.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-kill-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const KILLS = 20;
/** Every temp file a save makes (core's `.<name>.<pid>.<random>.tmp`) must not survive the next save. */
const isTemp = (name: string) => name.endsWith('.tmp');

interface Child {
  child: ChildProcess;
  saves: () => number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

function start(args: string[]): Child {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) w();
  });
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
  return { child, saves: () => stderr.match(/checkpoint saved/g)?.length ?? 0, exited };
}

/** Resolves when `cond()` holds, checked on every stderr chunk and file event (and every 20 ms as a fallback). */
function until(cond: () => boolean, exited: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (cond()) {
        clearInterval(timer);
        resolve(true);
      }
    }, 20);
    exited.then(() => {
      clearInterval(timer);
      resolve(cond());
    });
  });
}

describe('kill -9 during training with a checkpoint every epoch', () => {
  it(`${KILLS} random kills: run.json valid, checkpoint loads, --resume continues, no temp file survives`, async () => {
    expect(existsSync(built), 'run the build first: pnpm --filter @latentlab/cli... build').toBe(true);
    const csv = await writePointsCsv(path.join(root, 'p.csv'), { n: 512, dim: 16, rank: 3, seed: 9 });
    const out = path.join(root, 'run');
    const backend = tf.getBackend();
    const args = [
      ...['train', '--dataset', csv, '--limit', '512', '--epochs', '1000', '--batch-size', '64'],
      ...['--hidden', '16', '--latent', '2', '--backend', backend, '--out', out],
    ];
    const rng = createRng(2026);
    let lastEpoch = 0;
    let insideSave = 0;
    let leftover: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const run = start(k === 0 ? args : [...args, '--resume']);
      const exited = run.exited;
      // The previous kill's temp files are gone once this process has saved once.
      await until(() => run.saves() >= 1, exited);
      const names = await fs.readdir(out);
      for (const name of leftover) expect(names, `temp file ${name} survived the next save`).not.toContain(name);
      const byTemp = rng.nextFloat() < 0.5;
      if (byTemp) {
        // Kill the moment a temp file appears (inside a save); should no event come, after two more saves.
        const watcher = watch(out, (_event, name) => {
          if (name?.endsWith('.tmp')) run.child.kill('SIGKILL');
        });
        const target = run.saves() + 2;
        await until(() => run.saves() >= target, exited);
        run.child.kill('SIGKILL');
        await exited;
        watcher.close();
      } else {
        // Kill after 1–2 more saves plus up to 40 ms: anywhere in training or saving.
        const target = run.saves() + 1 + Math.floor(rng.nextFloat() * 2);
        await until(() => run.saves() >= target, exited);
        await new Promise((r) => setTimeout(r, Math.floor(rng.nextFloat() * 40)));
        run.child.kill('SIGKILL');
      }
      const result = await exited;
      expect(result.signal, result.stderr).toBe('SIGKILL');
      const names2 = await fs.readdir(out);
      // Any temp file left shows the kill landed inside a save; those not exempt must go with the next save.
      if (names2.some((name) => name.endsWith('.tmp'))) insideSave++;
      leftover = names2.filter(isTemp);
      // run.json is whole, valid JSON; the checkpoint left loads.
      expect(JSON.parse(await fs.readFile(path.join(out, 'run.json'), 'utf8')).model).toBe('vae');
      const { model, optimizer, training } = await loadModel(fileSystem(out));
      model.dispose();
      optimizer?.dispose();
      expect(training, 'a checkpoint with its training state').not.toBeNull();
      expect(training!.epoch).toBeGreaterThanOrEqual(Math.max(1, lastEpoch));
      lastEpoch = training!.epoch;
    }
    // Some kills landed inside a save (a temp file was left), and training advanced over the kills.
    expect(insideSave).toBeGreaterThan(0);
    expect(lastEpoch).toBeGreaterThanOrEqual(KILLS);
    // A last resume runs to completion from the checkpoint: one more epoch, exit 0, no temp file left.
    const final = start([
      ...args.slice(0, -6),
      '--epochs',
      String(lastEpoch + 1),
      '--backend',
      backend,
      '--out',
      out,
      '--resume',
    ]);
    const done = await final.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(`resuming ${out} at epoch ${lastEpoch}`);
    expect(JSON.parse(done.stdout).history).toHaveLength(lastEpoch + 1);
    expect((await fs.readdir(out)).filter(isTemp)).toEqual([]);
  }, 400_000);
});
