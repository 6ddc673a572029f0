// Every command run through main() in one process leaves tf.memory().numTensors where it found it: the model,
// the optimizer restored with a checkpoint (eval and sample used to keep its 20 Adam slots), every temporary.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, writePointsCsv } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-leaks-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('the commands in one process', () => {
  it('train, train --resume, eval, sample, report and bench each return numTensors to its start value', async () => {
    const csv = await writePointsCsv(path.join(root, 'p.csv'), {
      n: 64,
      dim: 16,
      rank: 2,
      seed: 1,
      offset: 0.5,
      scale: 0.2,
    });
    const b = ['--backend', tf.getBackend()];
    const out = path.join(root, 'vae');
    const train = [
      'train',
      '--dataset',
      csv,
      '--latent',
      '2',
      '--hidden',
      '8',
      '--batch-size',
      '16',
      '--out',
      out,
      ...b,
    ];
    const commands: string[][] = [
      [...train, '--epochs', '1'],
      [...train, '--epochs', '2', '--resume'],
      ['eval', out, '--iwae', '5', ...b],
      ['sample', out, '-n', '4', '--out', path.join(root, 's.json'), ...b],
      ['sample', out, '-n', '4', '--out', path.join(root, 's.png'), ...b],
      ['report', out, '--out', path.join(root, 'report'), '--points', '32', '--images', '8', ...b],
      ['bench', '--dataset', csv, '--model', 'ae', '--latent', '2', '--hidden', '8', '--limit', '32', ...b],
      ['train', '--model', 'pca', '--dataset', csv, '--latent', '2', '--out', path.join(root, 'pca'), ...b],
      ['eval', path.join(root, 'pca'), ...b],
      // failures after the model is loaded
      ['sample', path.join(root, 'pca'), ...b],
      ['sample', out, '-n', '4', '--out', path.join(root, 'missing-dir', 's.json'), ...b],
    ];
    const expected = [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1];
    for (const [i, argv] of commands.entries()) {
      const start = tf.memory().numTensors;
      const r = await runCli(...argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(expected[i]);
      expect(tf.memory().numTensors, argv.slice(0, 2).join(' ')).toBe(start);
    }
  }, 120_000);
});
