import type { BatchLog } from '@latentlab/models';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress.js';

const log = (progress: number): BatchLog => ({
  epoch: 0,
  batch: 0,
  batches: 10,
  step: 0,
  progress,
  learningRate: 1e-3,
  loss: 1.5,
  reconstruction: 1,
  kl: 0.5,
});

describe('ProgressBar', () => {
  it('redraws in place with percentage and ETA on a terminal, and stays silent between epochs otherwise', async () => {
    let tty = '';
    const bar = new ProgressBar(
      {
        stdout: () => {},
        stderr: (t) => {
          tty += t;
        },
        isTTY: true,
      },
      2,
    );
    bar.update(log(0.1));
    await new Promise((r) => setTimeout(r, 120));
    bar.update(log(0.5));
    bar.finish();
    const frames = tty.split('\r').filter(Boolean);
    expect(frames.at(-1)).toMatch(/^\[={15} {15}\] {2}50\.0% epoch 1\/2 loss 1\.500 ETA \d+\.\ds/);
    expect(tty.endsWith('\n')).toBe(true);
    let plain = '';
    const quiet = new ProgressBar(
      {
        stdout: () => {},
        stderr: (t) => {
          plain += t;
        },
        isTTY: false,
      },
      2,
    );
    quiet.update(log(0.5));
    expect(plain).toBe('');
  });
});
