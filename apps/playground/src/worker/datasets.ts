/**
 * The playground's data, each split into a training part and a held-out part the plots and the test loss use:
 * - MNIST (default) and Fashion-MNIST: the official 60 000 training images (or the first `trainRows` of them, see
 *   `?trainRows`) to train on, the 10 000 test images held out; both served gzipped as same-origin static files;
 * - the synthetic sets and uploaded CSV files (parsed as numbers only — `parseCsv` never evaluates a cell): a
 *   seeded 20 % held out (`held-out.ts`), both parts standardised with the training rows' mean and deviation.
 * Images stay bytes (0…255, 60 000 × 784 = 47 MB for MNIST's training set): models and the trainer scale them to
 * [0, 1] per batch, the plots per row they show, so no float32 copy of a whole set (188 MB) is ever made.
 */
import {
  createDataset,
  type Dataset,
  datasetFromImages,
  gaussianBlobs,
  type ImageDataset,
  loadFashionMnistFromUrl,
  loadMnistFromUrl,
  parseCsv,
  subset,
  swissRoll,
  twoMoons,
} from '@latentlab/data';
import type { DataSummary, DatasetChoice } from '../protocol.js';
import { HELD_OUT, standardisedSplit } from './held-out.js';
import { readCsvUpload } from './uploads.js';

/** A data set ready to train on (`dataset`), and its held-out part (`test`) for the plots and the test loss. */
export interface PreparedData {
  /** The training part: bytes for images ([n, h, w]), standardised float32 otherwise ([n, d]). */
  dataset: Dataset;
  /** The held-out part, stored like `dataset`: never trained on. */
  test: Dataset;
  /** What the held-out part is, for the data summary ("the 10,000 test digits"). */
  heldOut: string;
  /** The held-out examples in plot titles: "held-out test digits", "held-out rows". */
  testNoun: string;
  imageShape: [number, number] | null;
  /** Rows of the training part. */
  n: number;
  /** Rows of the held-out part. */
  nTest: number;
  d: number;
  classNames: string[] | null;
  /** The name of each feature (a CSV's column names), for axis titles; empty for images. */
  featureNames: string[];
  /** The two features non-image plots show: the Swiss roll's roll lies in its x–z plane, other data in 1 and 2. */
  plotFeatures: [number, number];
}

/** How many held-out rows the latent scatter and reconstructions show (spread over the set, `plotRows`). */
export const PLOT_POINTS = 1000;

const origin = (globalThis as { location?: { origin: string } }).location?.origin ?? 'http://localhost';
const dataUrl = (folder: string) => new URL(`${import.meta.env.BASE_URL}data/${folder}/`, origin).href;

/** The official splits of an image set; the first `trainRows` training images when given (and fewer than all). */
function fromImages(
  name: string,
  train: ImageDataset,
  test: ImageDataset,
  trainRows: number | null,
  noun: string,
): PreparedData {
  const [, h, w] = train.shape;
  let dataset = datasetFromImages(train, `${name}-train`);
  if (trainRows !== null && trainRows < train.shape[0]) {
    dataset = subset(
      dataset,
      Int32Array.from({ length: trainRows }, (_, i) => i),
      `${name}-train`,
    );
  }
  const nTest = test.shape[0];
  return {
    dataset,
    test: datasetFromImages(test, `${name}-test`),
    heldOut: `the ${nTest.toLocaleString('en')} test ${noun}`,
    testNoun: `held-out test ${noun}`,
    imageShape: [h, w],
    n: dataset.shape[0]!,
    nTest,
    d: h * w,
    classNames: train.classNames ? [...train.classNames] : null,
    featureNames: [],
    plotFeatures: [0, 1],
  };
}

/** Holds out a seeded 20 % of `raw` ([n, d] float32, labels optional) and standardises both parts. */
function heldOutSplit(
  raw: Dataset,
  classNames: string[] | null,
  featureNames: string[] | null = null,
  plotFeatures: [number, number] = [0, 1],
): PreparedData {
  const n = raw.shape[0]!;
  const d = raw.x.length / n;
  const { train, test } = standardisedSplit(raw);
  const nTest = test.shape[0]!;
  return {
    dataset: train,
    test,
    heldOut: `a seeded ${HELD_OUT.fraction * 100} % of the ${n.toLocaleString('en')} rows (${nTest.toLocaleString('en')})`,
    testNoun: 'held-out rows',
    imageShape: null,
    n: train.shape[0]!,
    nTest,
    d,
    classNames,
    featureNames: featureNames ?? Array.from({ length: d }, (_, j) => `x${j + 1}`),
    plotFeatures,
  };
}

/** Bins a continuous colour coordinate into `k` classes (for the swiss roll's position along the roll). */
function binned(t: Float32Array, k: number): Int32Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of t) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return Int32Array.from(t, (v) => Math.min(k - 1, Math.floor(((v - lo) / (hi - lo || 1)) * k)));
}

/** The same rows and values as `raw`, with these labels. */
const labelled = (raw: Dataset, labels: Int32Array | Uint8Array): Dataset =>
  createDataset({ name: raw.name, x: raw.x, shape: raw.shape, labels });

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** The CSV file (dataset 'csv'). */
  file?: File;
  /** The CSV's label column, by name or 0-based index. */
  labelColumn?: string;
  /** Train image sets on their first `trainRows` training images (`?trainRows`); null: all of them. */
  trainRows?: number | null;
}

export async function loadData(choice: DatasetChoice, options: LoadDataOptions = {}): Promise<PreparedData> {
  const trainRows = options.trainRows ?? null;
  switch (choice) {
    case 'mnist': {
      const url = dataUrl('mnist');
      const [train, test] = await Promise.all([
        loadMnistFromUrl(url, { split: 'train', gzipped: true }),
        loadMnistFromUrl(url, { split: 'test', gzipped: true }),
      ]);
      return fromImages('mnist', train, test, trainRows, 'digits');
    }
    case 'fashion-mnist': {
      const url = dataUrl('fashion-mnist');
      const [train, test] = await Promise.all([
        loadFashionMnistFromUrl(url, { split: 'train' }),
        loadFashionMnistFromUrl(url, { split: 'test' }),
      ]);
      return fromImages('fashion-mnist', train, test, trainRows, 'images');
    }
    case 'swiss-roll': {
      const roll = swissRoll({ n: 3000, noise: 0.05, seed: 1 });
      // x = t cos t, y = 21 v, z = t sin t: the roll shows in the x–z plane.
      const bins = binned(roll.t!, 6);
      return heldOutSplit(labelled(roll, bins), ['t₁', 't₂', 't₃', 't₄', 't₅', 't₆'], ['x', 'y', 'z'], [0, 2]);
    }
    case 'two-moons':
      return heldOutSplit(twoMoons({ n: 3000, noise: 0.08, seed: 1 }), ['moon 0', 'moon 1']);
    case 'blobs':
      return heldOutSplit(gaussianBlobs({ n: 3000, centers: 5, dim: 10, seed: 1 }).dataset, ['0', '1', '2', '3', '4']);
    case 'csv': {
      const { file, labelColumn } = options;
      if (!file) throw new Error('loadData: no CSV file was chosen');
      const text = await readCsvUpload(file); // its size checked first (UPLOAD_LIMITS.csvBytes)
      const column = labelColumn?.trim();
      const table = parseCsv(text, {
        source: file.name,
        ...(column ? { labelColumn: /^-?\d+$/.test(column) ? Number(column) : column } : {}),
      });
      const raw = createDataset({
        name: file.name,
        x: table.data,
        shape: table.shape,
        ...(table.labels ? { labels: table.labels } : {}),
      });
      return heldOutSplit(raw, table.classNames ?? null, table.columns);
    }
  }
}

export function summarise(data: PreparedData): DataSummary {
  return {
    name: data.dataset.name,
    n: data.n,
    d: data.d,
    imageShape: data.imageShape,
    classes: data.classNames?.length ?? 0,
    nTest: data.nTest,
    heldOut: data.heldOut,
  };
}
