/// <reference types="node" />
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '@latentlab/core/node';
import type { EpochLog, OptimizerConfig } from '@latentlab/models';
import { RunFileError } from './errors.js';

export const MODELS = ['vae', 'ae', 'linear-ae', 'pca'] as const;
export type ModelName = (typeof MODELS)[number];

/** What `train` records in `<run>/run.json` beside the checkpoint, so `eval`, `sample` and `--resume` know the run. */
export interface RunInfo {
  model: ModelName;
  dataset: string;
  limit: number | null;
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
}

/** `run.json` is a few hundred bytes; anything above this is not one of ours and is not read. */
export const MAX_RUN_FILE_BYTES = 64 * 1024;

const show = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : String(v);
};

const isInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * Checks a parsed `run.json`: an object with `model` one of {@link MODELS}, `dataset` a non-empty string, `limit`
 * null or an integer ≥ 1, `epochs` and `batchSize` integers ≥ 1, `seed` an integer ≥ 0, and `optimizer` an object
 * with a string `name`. Throws a {@link RunFileError} naming the first field that is wrong.
 */
export function checkRunInfo(value: unknown, file: string): RunInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunFileError(file, 'not a run description', 'a JSON object', show(value));
  }
  const v = value as Record<string, unknown>;
  const field = (name: string, ok: boolean, expected: string) => {
    if (!ok) throw new RunFileError(file, `field "${name}"`, expected, show(v[name]));
  };
  field('model', MODELS.includes(v.model as ModelName), MODELS.map((m) => `"${m}"`).join(' | '));
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
  return v as unknown as RunInfo;
}

/**
 * Reads and checks `<dir>/run.json`: a regular file (not a link, FIFO or device) of at most
 * {@link MAX_RUN_FILE_BYTES}, holding JSON that {@link checkRunInfo} accepts. Every failure is a
 * {@link RunFileError} (exit code 1).
 *
 * @example
 * const info = await readRun('runs/vae'); // { model: 'vae', dataset: 'mnist', ... }
 */
export async function readRun(dir: string): Promise<RunInfo> {
  const file = path.join(dir, 'run.json');
  const stat = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
    throw new RunFileError(
      file,
      'no run description',
      "a directory written by 'latentlab train'",
      error.code ?? 'an error',
    );
  });
  if (!stat.isFile())
    throw new RunFileError(file, 'not a regular file', 'a regular file', 'a link, directory or device');
  if (stat.size > MAX_RUN_FILE_BYTES) {
    throw new RunFileError(file, 'too large', `at most ${MAX_RUN_FILE_BYTES} bytes`, `${stat.size} bytes`);
  }
  const text = await fs.readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(file, 'not JSON', 'valid JSON', (error as Error).message);
  }
  return checkRunInfo(value, file);
}

/** Writes `<dir>/run.json` atomically (temp file + rename: never truncated by a kill, never through a link). */
export async function writeRun(dir: string, info: RunInfo): Promise<void> {
  await writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(info, null, 2)}\n`, 'latentlab train');
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
 */
export function checkHistory(history: unknown, file: string): EpochLog[] {
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
