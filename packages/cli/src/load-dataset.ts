/// <reference types="node" />
import { openRegularFile, type RegularFileFailure, readExactly } from '@latentlab/core/node';
import { createDataset, type Dataset, parseCsv } from '@latentlab/data';
import { loadFashionMnist, loadMnist } from '@latentlab/data/node';
import { RunFileError, UsageError } from './errors.js';
import { checkBytes } from './memory.js';

/** `mnist`, `fashion-mnist` or the path of a CSV file of numbers (one example per row, optional header). */
export type DatasetSpec = string;

/** Features per example of a data set. */
export const featuresOf = (data: Dataset): number => data.shape.slice(1).reduce((a, b) => a * b, 1);

/** Parsing a CSV holds the text and one string per cell: its memory estimate is the file's bytes × this factor. */
export const CSV_MEMORY_FACTOR = 8;

/**
 * Loads a data set named on the command line. MNIST and Fashion-MNIST come from `@latentlab/data/node` (bytes,
 * scaled to [0, 1] by the trainer's default transform, with their labels); a CSV file is parsed by data's
 * `parseCsv` (RFC 4180; decimal numbers only; a first row that is not all numbers is a header; errors name the
 * file, line and column), the same file serving both splits. The CSV must be a regular file whose size × 8 fits
 * the memory limit (checked before reading). `limit` keeps the first rows.
 *
 * @example
 * const ds = await loadDataset('points.csv', 'train', 100); // shape [min(n, 100), d]
 */
export async function loadDataset(spec: DatasetSpec, split: 'train' | 'test', limit?: number): Promise<Dataset> {
  let ds: Dataset;
  if (spec === 'mnist' || spec === 'fashion-mnist') {
    const images = spec === 'mnist' ? await loadMnist({ split }) : await loadFashionMnist({ split });
    const [n, h, w] = images.shape;
    // flat [n, 784] bytes, with the digit / garment labels (used by `report` to colour the latent scatter)
    ds = createDataset({
      name: spec,
      x: images.images,
      shape: [n, h * w],
      labels: images.labels,
      classNames: images.classNames,
    });
  } else if (spec.toLowerCase().endsWith('.csv')) {
    ds = await readCsv(spec);
  } else {
    throw new UsageError('--dataset', "'mnist', 'fashion-mnist' or a path ending in .csv", JSON.stringify(spec));
  }
  if (limit === undefined || limit >= ds.shape[0]!) return ds;
  const d = ds.shape.slice(1).reduce((a, b) => a * b, 1);
  return createDataset({
    name: ds.name,
    x: ds.x.slice(0, limit * d),
    shape: [limit, ...ds.shape.slice(1)],
    ...(ds.labels && { labels: ds.labels.slice(0, limit) }),
    ...(ds.classNames && { classNames: ds.classNames }),
  });
}

/** Reads a CSV file with `parseCsv` into an [n, d] float32 data set (see {@link loadDataset}). */
export async function readCsv(file: string): Promise<Dataset> {
  // core's reader: non-blocking open (a FIFO does not wait for a writer), fstat on the open handle (the file
  // checked is the one read), no more than its size read.
  const fail = (f: RegularFileFailure) =>
    f.reason === 'kind'
      ? new RunFileError(file, 'data set not a file', 'a regular CSV file', f.found)
      : new RunFileError(file, 'data set not readable', 'a readable CSV file', f.found);
  const { handle, size } = await openRegularFile(file, { fn: 'readCsv', fail });
  let text: string;
  try {
    checkBytes(`--dataset ${file}`, size * CSV_MEMORY_FACTOR, `${size} bytes × ${CSV_MEMORY_FACTOR}`);
    text = new TextDecoder().decode(await readExactly(handle, { fn: 'readCsv', path: file, length: size, fail }));
  } finally {
    await handle.close();
  }
  const { data, shape } = parseCsv(text, { source: file });
  return createDataset({ name: file, x: data, shape });
}
