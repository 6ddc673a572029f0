/// <reference types="node" />
/**
 * A run directory's `run.json`: what `latentlab train` (and interop's `importRun`) record beside the checkpoint, so
 * `eval`, `sample`, `report` and `--resume` know the run. One type, one reader (untrusted: checked field by field),
 * one writer (atomic).
 */
import * as path from 'node:path';
import { openRegularFile, type RegularFileFailure, readExactly, writeFileAtomic } from '@latentlab/core/node';
import type { OptimizerConfig } from '../optimizers.js';
import type { EpochLog } from '../training/logs.js';
import { RunFileError } from './run-file-error.js';

/** The models a run directory can hold, as `run.json` names them. */
export const RUN_MODELS = ['vae', 'ae', 'linear-ae', 'pca'] as const;
/** One of {@link RUN_MODELS}: the model a run directory holds. */
export type RunModelName = (typeof RUN_MODELS)[number];

/** The contents of `<run>/run.json`. */
export interface RunInfo {
  model: RunModelName;
  dataset: string;
  limit: number | null;
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
  /** The fraction of the rows held out for validation (`validationSplit`); absent or 0: none. */
  validationSplit?: number;
}

/** `run.json` is a few hundred bytes; anything above this is not one of ours and is not read. */
export const MAX_RUN_FILE_BYTES = 64 * 1024;

/** The file name of a run's description inside its directory. */
export const RUN_JSON = 'run.json';

const show = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : String(v);
};

const isInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * Checks a parsed `run.json`: an object with `model` one of {@link RUN_MODELS}, `dataset` a non-empty string,
 * `limit` null or an integer ≥ 1, `epochs` and `batchSize` integers ≥ 1, `seed` an integer ≥ 0, and `optimizer` an
 * object with a string `name`. Throws a {@link RunFileError} naming the first field that is wrong.
 *
 * @example
 * const text = `{ "model": "vae", "dataset": "mnist", "limit": null, "epochs": 10, "batchSize": 128, "seed": 0,
 *   "optimizer": { "name": "adam" } }`; // a run.json
 * checkRunInfo(JSON.parse(text), 'runs/vae/run.json'); // RunInfo, or RunFileError 'field "epochs"' for "epochs": "ten"
 */
export function checkRunInfo(value: unknown, file: string): RunInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunFileError(file, 'not a run description', 'a JSON object', show(value));
  }
  const v = value as Record<string, unknown>;
  const field = (name: string, ok: boolean, expected: string) => {
    if (!ok) throw new RunFileError(file, `field "${name}"`, expected, show(v[name]));
  };
  field('model', RUN_MODELS.includes(v.model as RunModelName), RUN_MODELS.map((m) => `"${m}"`).join(' | '));
  field('dataset', typeof v.dataset === 'string' && v.dataset.length > 0, 'a non-empty string');
  field('limit', v.limit === null || isInt(v.limit, 1), 'null or an integer ≥ 1');
  field('epochs', isInt(v.epochs, 1), 'an integer ≥ 1');
  field('batchSize', isInt(v.batchSize, 1), 'an integer ≥ 1');
  field('seed', isInt(v.seed, 0), 'an integer ≥ 0');
  const o = v.optimizer as Record<string, unknown> | null;
  field(
    'optimizer',
    typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.name === 'string',
    'an object with a string "name"',
  );
  field(
    'validationSplit',
    v.validationSplit === undefined ||
      (typeof v.validationSplit === 'number' && v.validationSplit >= 0 && v.validationSplit < 1),
    'absent or a number in [0, 1)',
  );
  return v as unknown as RunInfo;
}

/**
 * Reads and checks `<dir>/run.json` through core's `openRegularFile`: a regular file (not a link, FIFO or device;
 * opened non-blocking, checked by `fstat` of the open descriptor) of at most {@link MAX_RUN_FILE_BYTES}, holding
 * JSON that {@link checkRunInfo} accepts. Every failure is a {@link RunFileError}.
 *
 * @example
 * import { mkdir } from 'node:fs/promises';
 * await mkdir('runs/vae', { recursive: true }); // the run's directory (`latentlab train` makes it)
 * const optimizer = { name: 'adam' } as const;
 * await writeRunInfo('runs/vae', { model: 'vae', dataset: 'mnist', limit: null, epochs: 10, batchSize: 128, seed: 0, optimizer });
 * const info = await readRunInfo('runs/vae'); // { model: 'vae', dataset: 'mnist', ... }
 */
export async function readRunInfo(dir: string): Promise<RunInfo> {
  const file = path.join(dir, RUN_JSON);
  const fail = (f: RegularFileFailure): RunFileError => {
    if (f.reason === 'open' && f.found === 'ENOENT') {
      return new RunFileError(file, 'no run description', "a directory written by 'latentlab train'", f.found);
    }
    if (f.reason === 'open' && f.found === 'ELOOP') {
      return new RunFileError(file, 'not a regular file', 'a regular file', 'a symbolic link');
    }
    if (f.reason === 'size') return new RunFileError(file, 'too large', f.expected, f.found);
    return new RunFileError(file, f.reason === 'kind' ? 'not a regular file' : 'not readable', f.expected, f.found);
  };
  const { handle, size } = await openRegularFile(file, {
    fn: 'readRunInfo',
    maxBytes: MAX_RUN_FILE_BYTES,
    noFollow: true,
    fail,
  });
  let text: string;
  try {
    text = new TextDecoder().decode(await readExactly(handle, { fn: 'readRunInfo', path: file, length: size, fail }));
  } finally {
    await handle.close();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(file, 'not JSON', 'valid JSON', (error as Error).message);
  }
  return checkRunInfo(value, file);
}

/**
 * Writes `<dir>/run.json` with core's `writeFileAtomic` (temp file + rename: never truncated by a kill, never
 * written through a link), as indented JSON with a final newline. `fn` names the caller in errors.
 *
 * @example
 * import { mkdir } from 'node:fs/promises';
 * await mkdir('runs/vae', { recursive: true }); // the run's directory (`latentlab train` makes it)
 * const optimizer = { name: 'adam', learningRate: 1e-3 } as const;
 * await writeRunInfo('runs/vae', { model: 'vae', dataset: 'mnist', limit: null, epochs: 10, batchSize: 128, seed: 0, optimizer });
 */
export async function writeRunInfo(dir: string, info: RunInfo, fn = 'writeRunInfo'): Promise<void> {
  await writeFileAtomic(path.join(dir, RUN_JSON), `${JSON.stringify(info, null, 2)}\n`, fn);
}

const isNum = (v: unknown) => typeof v === 'number';
const isSummary = (s: unknown): boolean =>
  typeof s === 'object' &&
  s !== null &&
  isNum((s as Record<string, unknown>).loss) &&
  isNum((s as Record<string, unknown>).reconstruction) &&
  ((s as Record<string, unknown>).kl === null || isNum((s as Record<string, unknown>).kl));

/**
 * Checks a checkpoint's training history (`training.history` from `loadModel`): an array of epoch logs, each with
 * numeric `loss` and `reconstruction`, `kl` a number or null, and `validation` null or such a summary. Throws a
 * {@link RunFileError} naming the first bad entry (instead of e.g. `logs.map is not a function` later).
 *
 * @example
 * // for 'file://'
 * import '@latentlab/models/node';
 * const vae = new Vae({ latentDim: 2 });
 * const onEpochEnd = (log: EpochLog, training: TrainState) => vae.save('file://runs/vae', { training }); // a checkpoint
 * await vae.fit(tf.randomUniform([8, 784]), { epochs: 1, onEpochEnd });
 * const loaded = await loadModel('file://runs/vae');
 * const logs = checkRunHistory(loaded.training?.history, 'runs/vae/model.json'); // one EpochLog
 */
export function checkRunHistory(history: unknown, file: string): EpochLog[] {
  if (!Array.isArray(history))
    throw new RunFileError(file, 'training.history', 'an array of epoch logs', show(history));
  history.forEach((log: unknown, i) => {
    const validation = (log as Record<string, unknown> | null)?.validation;
    if (!isSummary(log) || !(validation === null || validation === undefined || isSummary(validation))) {
      throw new RunFileError(
        file,
        `training.history[${i}]`,
        'an object with numeric loss, reconstruction, kl (or null) and validation (or null)',
        show(log),
      );
    }
  });
  return history as EpochLog[];
}
