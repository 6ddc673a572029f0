/**
 * The held-out part of data that has no official test split (the synthetic sets, an uploaded CSV): a seeded
 * fraction f = {@link HELD_OUT.fraction} of the rows, m = round(f·n) of them, chosen by data's
 * `trainValidationSplit` (the first m rows of a seeded permutation). The standardiser is fitted on the training
 * rows only, μⱼ = (1/n_train) Σ xᵢⱼ and σⱼ the population standard deviation of the training rows, and both parts
 * are mapped with it, x'ᵢⱼ = (xᵢⱼ − μⱼ)/σⱼ, so nothing of the held-out rows leaks into training.
 */
import { createDataset, type Dataset, fitStandardizer, trainValidationSplit } from '@latentlab/data';

/** The share of rows held out and the seed that picks them (fixed, so every run holds out the same rows). */
export const HELD_OUT = Object.freeze({ fraction: 0.2, seed: 1 });

/** The training rows and the held-out rows, both standardised with the training rows' mean and deviation. */
export interface StandardisedSplit {
  train: Dataset;
  test: Dataset;
  /** Rows of the input in each part (ascending, disjoint, together every row once). */
  trainIndices: Int32Array;
  testIndices: Int32Array;
}

/** (x − μ)/σ per column, as a new float32 data set [n, d] with the same labels. */
function standardise(part: Dataset, mean: Float32Array, std: Float32Array, name: string): Dataset {
  const n = part.shape[0]!;
  const d = part.x.length / Math.max(1, n);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (part.x[i * d + j]! - mean[j]!) / std[j]!;
  }
  return createDataset({ name, x, shape: [n, d], ...(part.labels ? { labels: part.labels } : {}) });
}

/**
 * Holds out a seeded {@link HELD_OUT.fraction} of `raw`'s rows ([n, d], n ≥ 2) and standardises both parts with
 * the training rows' statistics. Throws data's `DatasetError` when a part would be empty (fewer than 3 rows).
 *
 * @example
 * const { train, test } = standardisedSplit(twoMoons({ n: 3000, noise: 0.08, seed: 1 }));
 * train.shape; // [2400, 2]
 * test.shape; // [600, 2]: round(0.2 · 3000)
 */
export function standardisedSplit(raw: Dataset): StandardisedSplit {
  const { train, validation, trainIndices, validationIndices } = trainValidationSplit(raw, {
    validationFraction: HELD_OUT.fraction,
    seed: HELD_OUT.seed,
  });
  const { mean, std } = fitStandardizer(train);
  return {
    train: standardise(train, mean, std, raw.name),
    test: standardise(validation, mean, std, `${raw.name}-held-out`),
    trainIndices,
    testIndices: validationIndices,
  };
}
