// Every failure of the CLI is one line on stderr and a documented exit code (README, `latentlab --help`):
// hostile run.json files, CSV cells as data's parseCsv reads them, symlinks planted at the files the CLI writes,
// and requests refused up front by the memory estimate.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CsvFormatError, parseCsv } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { type CliResult, runCli as run, writePointsCsv } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-failures-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));
const backend = () => tf.getBackend();

/** One line on stderr (never a stack), nothing on stdout, and the exit code. */
function expectOneLine(r: CliResult, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

// A trained 16-feature VAE run (16 = 4 × 4 images, so `sample --out x.png` and `report` draw images).
const csv = path.join(root, 'points.csv');
const runDir = path.join(root, 'run');
beforeAll(async () => {
  await writePointsCsv(csv, { n: 64, dim: 16, rank: 2, seed: 5, offset: 0.5, scale: 0.2 });
  const r = await run(
    ...['train', '--dataset', csv, '--latent', '2', '--hidden', '8', '--epochs', '1', '--batch-size', '32'],
    ...['--backend', backend(), '--out', runDir],
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

/** A copy of the trained run with `run.json` (or `model.json`) edited. */
async function variant(
  name: string,
  edit: { run?: string; model?: (json: { modelTopology: { training: { history: unknown } } }) => void },
): Promise<string> {
  const dir = path.join(root, name);
  await fs.cp(runDir, dir, { recursive: true });
  if (edit.run !== undefined) await fs.writeFile(path.join(dir, 'run.json'), edit.run);
  if (edit.model) {
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    edit.model(json);
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  }
  return dir;
}

describe('a hostile run.json is a typed error, one line, exit 1', () => {
  const info = {
    model: 'vae',
    dataset: 'x.csv',
    limit: null,
    epochs: 1,
    batchSize: 32,
    seed: 0,
    optimizer: { name: 'adam' },
  };
  const cases: [string, string, RegExp][] = [
    ['not-json', '{ model: vae', /run\.json: not JSON: expected valid JSON/],
    ['null', 'null', /run\.json: not a run description: expected a JSON object, found null/],
    ['array', '[]', /run\.json: not a run description: expected a JSON object, found an array/],
    ['empty', '', /run\.json: not JSON/],
    [
      'model',
      JSON.stringify({ ...info, model: 'gan' }),
      /field "model": expected "vae" \| "ae" \| "linear-ae" \| "pca", found "gan"/,
    ],
    ['epochs', JSON.stringify({ ...info, epochs: 'ten' }), /field "epochs": expected an integer ≥ 1, found "ten"/],
    [
      'limit',
      JSON.stringify({ ...info, limit: 1e300 }),
      /field "limit": expected null or an integer ≥ 1, found 1e\+300/,
    ],
    ['optimizer', JSON.stringify({ ...info, optimizer: [] }), /field "optimizer": expected an object/],
    ['dataset', JSON.stringify({ ...info, dataset: 7 }), /field "dataset": expected a non-empty string, found 7/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: eval, report and train --resume refuse it`, async () => {
      const dir = await variant(`run-${name}`, { run: text });
      expectOneLine(await run('eval', dir, '--backend', backend()), EXIT.failed, message);
      expectOneLine(
        await run('report', dir, '--out', path.join(dir, 'r'), '--backend', backend()),
        EXIT.failed,
        message,
      );
      expectOneLine(await run('train', '--resume', '--out', dir, '--backend', backend()), EXIT.failed, message);
    });
  }

  it('a missing run directory, and run.json as a directory or a 1 MB file', async () => {
    expectOneLine(
      await run('eval', path.join(root, 'none'), '--backend', backend()),
      EXIT.failed,
      /run\.json: no run description.*ENOENT/,
    );
    const dirAsFile = await variant('run-dir', {});
    await fs.rm(path.join(dirAsFile, 'run.json'));
    await fs.mkdir(path.join(dirAsFile, 'run.json'));
    expectOneLine(await run('eval', dirAsFile, '--backend', backend()), EXIT.failed, /not a regular file/);
    const big = await variant('run-big', { run: `{"x":"${'a'.repeat(1 << 20)}"}` });
    expectOneLine(
      await run('eval', big, '--backend', backend()),
      EXIT.failed,
      /run\.json: too large: expected at most 65536 bytes/,
    );
  });

  it('training.history "x" in the checkpoint: report and resume say so instead of crashing', async () => {
    const dir = await variant('history-x', {
      model: (json) => {
        json.modelTopology.training.history = 'x';
      },
    });
    const before = tf.memory().numTensors;
    const r = await run('report', dir, '--out', path.join(dir, 'r'), '--backend', backend());
    expectOneLine(r, EXIT.failed, /history/);
    expect(r.stderr).not.toMatch(/is not a function/);
    const t = await run('train', '--resume', '--out', dir, '--epochs', '2', '--backend', backend());
    expectOneLine(t, EXIT.failed, /history/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("CSV data sets are read by data's parseCsv", () => {
  const cases: [string, string][] = [
    ['empty-cell', 'a,b\n1,2\n3,\n'],
    ['hex', 'a,b\n1,2\n0x10,3\n'],
    ['ragged', '1,2\n3,4,5\n'],
    ['header-only', 'a,b\n'],
    ['bad-quote', '1,2\n"3,4\n'],
  ];
  for (const [name, text] of cases) {
    it(`${name}: the CLI's error is parseCsv's (file, line and column), exit 1`, async () => {
      const file = path.join(root, `${name}.csv`);
      await fs.writeFile(file, text);
      let expected: CsvFormatError | undefined;
      try {
        parseCsv(text, { source: file });
      } catch (error) {
        expected = error as CsvFormatError;
      }
      expect(expected).toBeInstanceOf(CsvFormatError);
      expect(expected!.line).toBeGreaterThan(0);
      const r = await run('train', '--dataset', file, '--out', path.join(root, `out-${name}`), '--backend', backend());
      expectOneLine(r, EXIT.failed, /./);
      expect(r.stderr).toBe(`latentlab train: ${expected!.message}\n`);
      expect(r.stderr).toContain(`at line ${expected!.line}, column ${expected!.column} of ${file}`);
    });
  }

  it('quoted numbers, a header and CRLF train as parseCsv reads them', async () => {
    const text = 'x,"y"\r\n"1.5",2\r\n3," 4 "\r\n5,6\r\n7,8\r\n';
    const file = path.join(root, 'quoted.csv');
    await fs.writeFile(file, text);
    expect(parseCsv(text).shape).toEqual([4, 2]);
    const out = path.join(root, 'quoted');
    const r = await run(
      ...['train', '--dataset', file, '--model', 'pca', '--latent', '1', '--backend', backend(), '--out', out],
    );
    expect(r.code, r.stderr).toBe(0);
    const bench = await run(
      'bench',
      '--dataset',
      file,
      '--model',
      'linear-ae',
      '--latent',
      '1',
      '--backend',
      backend(),
    );
    expect(JSON.parse(bench.stdout).examples).toBe(4);
  });

  it('a data set that is a directory or a FIFO-less missing file is exit 1, one line', async () => {
    await fs.mkdir(path.join(root, 'dir.csv'));
    expectOneLine(
      await run(
        'train',
        '--dataset',
        path.join(root, 'dir.csv'),
        '--out',
        path.join(root, 'o1'),
        '--backend',
        backend(),
      ),
      EXIT.failed,
      /data set not a file/,
    );
    expectOneLine(
      await run(
        'train',
        '--dataset',
        path.join(root, 'no.csv'),
        '--out',
        path.join(root, 'o2'),
        '--backend',
        backend(),
      ),
      EXIT.failed,
      /data set not readable.*ENOENT/,
    );
  });
});

describe('files the CLI writes replace a planted symlink instead of writing through it', () => {
  it('metrics.json, run.json, samples (.json and .png) and report files', async () => {
    const outside = path.join(root, 'outside.txt');
    await fs.writeFile(outside, 'do not touch');
    const { mtimeMs } = await fs.stat(outside);
    const dir = await variant('links', {});
    const report = path.join(root, 'links-report');
    await fs.mkdir(report);
    const targets = [
      path.join(dir, 'metrics.json'),
      path.join(root, 'links-samples.json'),
      path.join(root, 'links-samples.png'),
      path.join(report, 'index.html'),
    ];
    for (const t of targets) await fs.symlink(outside, t);
    expect((await run('eval', dir, '--backend', backend())).code).toBe(0);
    expect((await run('sample', dir, '-n', '4', '--out', targets[1]!, '--backend', backend())).code).toBe(0);
    expect((await run('sample', dir, '-n', '4', '--out', targets[2]!, '--backend', backend())).code).toBe(0);
    const rep = await run('report', dir, '--out', report, '--points', '32', '--images', '8', '--backend', backend());
    expect(rep.code, rep.stderr).toBe(0);
    // train --out over a run.json link (a fresh run into a directory that holds one)
    const fresh = path.join(root, 'links-train');
    await fs.mkdir(fresh);
    await fs.symlink(outside, path.join(fresh, 'run.json'));
    targets.push(path.join(fresh, 'run.json'));
    const t = await run(
      ...['train', '--dataset', csv, '--latent', '2', '--hidden', '4', '--epochs', '1', '--batch-size', '32'],
      ...['--backend', backend(), '--out', fresh],
    );
    expect(t.code, t.stderr).toBe(0);
    expect(await fs.readFile(outside, 'utf8')).toBe('do not touch');
    expect((await fs.stat(outside)).mtimeMs).toBe(mtimeMs);
    for (const target of targets) expect((await fs.lstat(target)).isSymbolicLink(), target).toBe(false);
    expect(JSON.parse(await fs.readFile(path.join(fresh, 'run.json'), 'utf8')).model).toBe('vae');
    for (const d of [dir, root, report, fresh]) {
      expect(
        (await fs.readdir(d)).filter((f) => f.endsWith('.tmp')),
        d,
      ).toEqual([]);
    }
  }, 60_000);
});

describe('requests over the memory limit are refused up front with the estimate (exit 3)', () => {
  it('sample -n, --batch-size, --hidden, --points, and a lower LATENTLAB_MAX_MEMORY_MB', async () => {
    const before = tf.memory().numTensors;
    // 2e7 samples × 16 features × 4 B × 8 = 9.5 GiB > 2 GiB (the default limit)
    expectOneLine(
      await run('sample', runDir, '-n', '20000000', '--backend', backend()),
      EXIT.resources,
      /sample -n: needs more memory than the limit: expected at most 2\.0 GiB \(LATENTLAB_MAX_MEMORY_MB=2048\), found about 9\.5 GiB \(20000000 rows × 16 features × 4 B × 8\)/,
    );
    expectOneLine(
      await run(
        'train',
        '--dataset',
        csv,
        '--hidden',
        '100000,100000',
        '--out',
        path.join(root, 'm1'),
        '--backend',
        backend(),
      ),
      EXIT.resources,
      /--hidden\/--latent: needs more memory than the limit.*parameters × 4 B × 4/,
    );
    try {
      process.env.LATENTLAB_MAX_MEMORY_MB = '1';
      expectOneLine(
        await run(
          ...['train', '--dataset', csv, '--hidden', '1000', '--batch-size', '64', '--latent', '2'],
          ...['--out', path.join(root, 'm2'), '--backend', backend()],
        ),
        EXIT.resources,
        /--batch-size: .*expected at most 1\.0 MiB .*found about 2\.0 MiB \(64 rows × 1000 features × 4 B × 8\)/,
      );
      expectOneLine(
        await run('report', runDir, '--out', path.join(root, 'm3'), '--points', '5000', '--backend', backend()),
        EXIT.resources,
        /--points: .*found about 1\.8 MiB \(5000 rows × 16 features × 4 B × 6\)/,
      );
    } finally {
      delete process.env.LATENTLAB_MAX_MEMORY_MB;
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
