/** Seeded train/validation split of a {@link Dataset}, optionally stratified by label. */

import { checkDataset, type Dataset, datasetSize, subset } from './dataset.js';
import { DatasetError } from './errors.js';
import { checkSeed, deriveSeed, Prng } from './prng.js';

/** Options of {@link trainValidationSplit}: exactly one of `validationFraction` and `validationSize`. */
export interface SplitOptions {
  /** Share of the examples held out, in (0, 1); the count is round(fraction · n). */
  validationFraction?: number;
  /** Number of examples held out, an integer in [1, n − 1]. */
  validationSize?: number;
  /** Seed of the random assignment (default 0). */
  seed?: number;
  /** Keep each class's share equal in both parts (requires labels). Default false. */
  stratify?: boolean;
}

/** The two parts, plus the dataset rows each holds (ascending). */
export interface TrainValidationSplit {
  train: Dataset;
  validation: Dataset;
  trainIndices: Int32Array;
  validationIndices: Int32Array;
}

/**
 * Splits `dataset` into disjoint train and validation parts that together hold every example once.
 * Without stratification, the validation rows are the first m of a seeded permutation (m = round(f·n) or
 * `validationSize`). With `stratify`, class c (n_c examples) gives m_c of its own rows, where m_c are the
 * proportional shares m·n_c/n rounded by the largest-remainder method (so Σ m_c = m and |m_c − m·n_c/n| < 1).
 * Both parts keep dataset order and the feature type (bytes stay bytes).
 *
 * @throws {DatasetError} when both or neither option is given, the fraction is outside (0, 1) or not finite,
 *   the size is not an integer in [1, n − 1], the count rounds to 0 or n, or `stratify` has no labels.
 * @example
 * const mnistTrain = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
 * const { train, validation } = trainValidationSplit(mnistTrain, { validationSize: 10_000, seed: 1, stratify: true });
 */
export function trainValidationSplit(dataset: Dataset, options: SplitOptions): TrainValidationSplit {
  const fn = 'trainValidationSplit';
  checkDataset(fn, dataset);
  const { validationFraction: f, validationSize, seed = 0, stratify = false } = options ?? {};
  const n = datasetSize(dataset);
  if ((f === undefined) === (validationSize === undefined)) {
    throw new DatasetError(
      fn,
      'ambiguous size',
      'exactly one of validationFraction and validationSize',
      'both or neither',
    );
  }
  let m: number;
  if (f !== undefined) {
    if (typeof f !== 'number' || !(f > 0 && f < 1)) {
      throw new DatasetError(fn, 'invalid validationFraction', 'a number in (0, 1)', String(f));
    }
    m = Math.round(f * n);
  } else {
    if (typeof validationSize !== 'number' || !Number.isSafeInteger(validationSize)) {
      throw new DatasetError(fn, 'invalid validationSize', 'an integer', String(validationSize));
    }
    m = validationSize;
  }
  if (m < 1 || m > n - 1) {
    throw new DatasetError(fn, 'both parts must be non-empty', `a validation count in [1, ${n - 1}]`, `${m} of ${n}`);
  }
  const rng = new Prng(deriveSeed(checkSeed(fn, seed), 0x5b17));
  const inValidation = new Uint8Array(n);
  if (!stratify) {
    const order = rng.permutation(n);
    for (let k = 0; k < m; k++) inValidation[order[k]!] = 1;
  } else {
    const labels = dataset.labels;
    if (!labels) throw new DatasetError(fn, 'stratify needs labels', 'a dataset with labels', 'no labels');
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const rows = byClass.get(labels[i]!);
      if (rows) rows.push(i);
      else byClass.set(labels[i]!, [i]);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const quota = classes.map((c) => (m * byClass.get(c)!.length) / n);
    const counts = quota.map(Math.floor);
    let left = m - counts.reduce((a, b) => a + b, 0);
    const byRemainder = classes
      .map((_, k) => k)
      .sort((a, b) => quota[b]! - counts[b]! - (quota[a]! - counts[a]!) || a - b);
    for (const k of byRemainder) {
      if (left === 0) break;
      counts[k]!++;
      left--;
    }
    classes.forEach((c, k) => {
      const rows = rng.shuffle(Int32Array.from(byClass.get(c)!));
      for (let j = 0; j < counts[k]!; j++) inValidation[rows[j]!] = 1;
    });
  }
  const validationIndices = new Int32Array(m);
  const trainIndices = new Int32Array(n - m);
  for (let i = 0, v = 0, t = 0; i < n; i++) {
    if (inValidation[i]) validationIndices[v++] = i;
    else trainIndices[t++] = i;
  }
  return {
    train: subset(dataset, trainIndices, `${dataset.name}-train`),
    validation: subset(dataset, validationIndices, `${dataset.name}-validation`),
    trainIndices,
    validationIndices,
  };
}
