import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIMIZER_CONFIG } from '../optimizers.js';
import { RunFileError } from './run-file-error.js';
import { checkRunHistory, MAX_RUN_FILE_BYTES, type RunInfo, readRunInfo, writeRunInfo } from './run-info.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentlab-run-info-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const info: RunInfo = {
  model: 'vae',
  dataset: 'mnist',
  limit: null,
  epochs: 3,
  batchSize: 64,
  seed: 7,
  optimizer: { ...DEFAULT_OPTIMIZER_CONFIG },
};
const runJson = () => path.join(dir, 'run.json');
const refusal = async (pattern: RegExp) => {
  const e = await readRunInfo(dir).catch((error: unknown) => error);
  expect(e).toBeInstanceOf(RunFileError);
  expect((e as Error).message).toMatch(pattern);
};

describe('run.json', () => {
  it('writeRunInfo then readRunInfo gives the same description, written atomically as indented JSON', async () => {
    await writeRunInfo(dir, info);
    expect(fs.readdirSync(dir)).toEqual(['run.json']);
    expect(fs.readFileSync(runJson(), 'utf8')).toBe(`${JSON.stringify(info, null, 2)}\n`);
    expect(await readRunInfo(dir)).toEqual(info);
  });

  it('refuses a missing file, a directory, a symlink, a FIFO (no hang) and an oversized file', async () => {
    await refusal(/run\.json: no run description.*ENOENT/);
    fs.mkdirSync(runJson());
    await refusal(/not a regular file.*a directory/);
    fs.rmdirSync(runJson());
    const outside = path.join(dir, 'outside.json');
    fs.writeFileSync(outside, JSON.stringify(info));
    fs.symlinkSync(outside, runJson());
    await refusal(/not a regular file.*a symbolic link/);
    fs.rmSync(runJson());
    execFileSync('mkfifo', [runJson()]);
    await refusal(/not a regular file.*a FIFO/);
    fs.rmSync(runJson());
    fs.writeFileSync(runJson(), ' '.repeat(MAX_RUN_FILE_BYTES + 1));
    await refusal(
      new RegExp(`too large: expected at most ${MAX_RUN_FILE_BYTES} bytes, found ${MAX_RUN_FILE_BYTES + 1}`),
    );
  });

  it('names the first wrong field, and says when it is not JSON', async () => {
    fs.writeFileSync(runJson(), JSON.stringify({ ...info, epochs: 'ten' }));
    await refusal(/field "epochs": expected an integer ≥ 1, found "ten"/);
    fs.writeFileSync(runJson(), JSON.stringify({ ...info, model: 'gan' }));
    await refusal(/field "model"/);
    fs.writeFileSync(runJson(), JSON.stringify({ ...info, validationSplit: 1 }));
    await refusal(/field "validationSplit": expected absent or a number in \[0, 1\), found 1/);
    fs.writeFileSync(runJson(), JSON.stringify({ ...info, validationSplit: 0.1 }));
    expect((await readRunInfo(dir)).validationSplit).toBe(0.1);
    fs.writeFileSync(runJson(), '{"model":');
    await refusal(/not JSON/);
  });
});

describe('checkRunHistory', () => {
  it('accepts epoch logs and names the first bad entry', () => {
    const log = { loss: 1, reconstruction: 0.5, kl: null, validation: null };
    expect(checkRunHistory([log], 'm.json')).toHaveLength(1);
    expect(() => checkRunHistory([log, { loss: 'x' }], 'm.json')).toThrow(/training\.history\[1\]/);
    expect(() => checkRunHistory({}, 'm.json')).toThrow(RunFileError);
  });
});
