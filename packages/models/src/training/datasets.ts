// The data of a run as checked data sets: the training and validation sets of a run (`trainingSets`, with
// `validationSplit`; any `ModelInput` becomes a `Dataset` through inputs.ts) and the check that they fit the
// model's input.
import { formatShape, ShapeError, ValueError } from '@latentlab/core';
import { createDataset, type Dataset } from '@latentlab/data';
import { inputDataset, type ModelInput } from '../inputs.js';
import type { TrainOptions } from './options.js';

/**
 * The training set and the validation set of a run: `validationData`, or with `validationSplit` f the last
 * n − ⌊n·(1 − f)⌋ rows of `data` (views, no copy), the rest training. Both are checked against `d` features.
 */
export async function trainingSets(
  fn: string,
  data: ModelInput,
  o: Pick<TrainOptions, 'validationData' | 'validationSplit'>,
  d: number,
): Promise<{ trainSet: Dataset; validation: Dataset | null }> {
  let trainSet = await inputDataset(fn, 'data', data);
  checkInputSize(fn, 'data', trainSet, d);
  let validation = o.validationData === undefined ? null : await inputDataset(fn, 'validationData', o.validationData);
  if (validation) checkInputSize(fn, 'validationData', validation, d);
  if (o.validationSplit !== undefined) {
    const n = trainSet.shape[0]!;
    const splitAt = Math.floor(n * (1 - o.validationSplit));
    if (splitAt < 1 || splitAt >= n) {
      throw new ValueError(
        fn,
        'validationSplit leaves no training or no validation rows',
        `1 ≤ ⌊n·(1 − validationSplit)⌋ < n (n = ${n})`,
        `${splitAt} training rows`,
      );
    }
    const part = (name: string, start: number, end: number) =>
      createDataset({
        name: `${trainSet.name}-${name}`,
        x: trainSet.x.subarray(start * d, end * d),
        shape: [end - start, ...trainSet.shape.slice(1)],
        labels: trainSet.labels?.subarray(start, end),
        classNames: trainSet.classNames,
        t: trainSet.t?.subarray(start, end),
      });
    validation = part('validation', splitAt, n);
    trainSet = part('train', 0, splitAt);
  }
  return { trainSet, validation };
}

/** Checks that `data` is [n ≥ 1, ...] with `d` features per example (a {@link ShapeError} naming `name` if not). */
export function checkInputSize(fn: string, name: string, data: Dataset, d: number): void {
  const size = data.shape.slice(1).reduce((a, b) => a * b, 1);
  if (size !== d || data.shape[0] === 0) {
    throw new ShapeError(
      fn,
      `${name} does not fit the model's input`,
      `[n ≥ 1, ...] with ${d} features per example`,
      formatShape(data.shape),
    );
  }
}
