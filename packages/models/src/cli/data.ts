/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { createDataset, type Dataset } from '@latentlab/data';
import { UsageError } from './usage.js';

/** `mnist`, `fashion-mnist` or the path of a CSV file of numbers (one example per row, optional header). */
export type DatasetSpec = string;

/**
 * Loads a data set named on the command line. MNIST and Fashion-MNIST come from '@latentlab/data/node' (bytes,
 * scaled to [0, 1] by the trainer's default transform, with their labels); a CSV file is read as float32 rows (a first line that
 * is not all numbers is a header), the same file serving both splits. `limit` keeps the first rows.
 */
export async function loadDataset(spec: DatasetSpec, split: 'train' | 'test', limit?: number): Promise<Dataset> {
  let ds: Dataset;
  if (spec === 'mnist' || spec === 'fashion-mnist') {
    const node = await import('@latentlab/data/node');
    const images = spec === 'mnist' ? await node.loadMnist({ split }) : await node.loadFashionMnist({ split });
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
    throw new UsageError('--dataset', "'mnist', 'fashion-mnist' or a path ending in .csv", spec);
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

/** Parses a numeric CSV into an [n, d] float32 data set; throws a {@link UsageError} for ragged or non-numeric rows. */
export async function readCsv(file: string): Promise<Dataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('--dataset', 'a readable CSV file', `${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const rows = lines.map((l) => l.split(',').map((v) => Number(v.trim())));
  if (rows.length > 0 && rows[0]!.some((v) => Number.isNaN(v))) rows.shift(); // header
  const d = rows[0]?.length ?? 0;
  if (rows.length === 0 || d === 0) throw new UsageError('--dataset', 'a CSV with at least one row of numbers', file);
  const x = new Float32Array(rows.length * d);
  rows.forEach((row, r) => {
    if (row.length !== d || row.some((v) => !Number.isFinite(v))) {
      throw new UsageError('--dataset', `${d} finite numbers on every row of ${file}`, `row ${r + 1}: ${lines[r]}`);
    }
    x.set(row, r * d);
  });
  return createDataset({ name: file, x, shape: [rows.length, d] });
}
