/**
 * The playground's data, each split into a training part and a held-out part the plots and the test loss use:
 * - MNIST (default) and Fashion-MNIST: the official 60 000 training images (or the first `trainRows` of them, see
 *   `?trainRows`) to train on, the 10 000 test images held out; both served gzipped as same-origin static files;
 * - the synthetic sets and uploaded CSV files (parsed as numbers only — `parseCsv` never evaluates a cell): a
 *   seeded 20 % held out (`held-out.ts`), both parts standardised with the training rows' mean and deviation.
 * Images stay bytes (0…255, 60 000 × 784 = 47 MB for MNIST's training set): models and the trainer scale them to
 * [0, 1] per batch, the plots per row they show, so no float32 copy of a whole set (188 MB) is ever made.
 *
 * An image set loads in two stages: {@link loadData} resolves once the small test split (1.6 MB for MNIST) has
 * arrived — all the plots and the shipped models need — and the training split (9.6 MB) is fetched only when
 * {@link PreparedData.training} is first called. Synthetic and CSV data come with their training part at once.
 *
 * @example
 * const data = await loadData('mnist', { trainRows: null }); // the 10 000 test digits; data.train === null
 * const { dataset, n, all } = await data.training(); // now the 60 000 training digits, and data.train is set
 */
import {
  createDataset,
  type Dataset,
  DatasetError,
  datasetFromImages,
  type FetchLike,
  gaussianBlobs,
  type ImageDataset,
  type LoadFromUrlOptions,
  loadFashionMnistFromUrl,
  loadMnistFromUrl,
  MNIST_SPLIT_SIZES,
  parseCsv,
  subset,
  swissRoll,
  twoMoons,
} from '@latentlab/data';
import type { DataSummary, DatasetChoice } from '../protocol.js';
import { HELD_OUT, standardisedSplit } from './held-out.js';
import { readCsvUpload } from './uploads.js';

/** The training part of a data set: bytes for images ([n, h, w]), standardised float32 otherwise ([n, d]). */
export interface TrainingPart {
  /** The rows trained on: an image set's first `trainRows` training images (`?trainRows`), or all of them. */
  dataset: Dataset;
  /** Rows of `dataset`. */
  n: number;
  /** Every training example, also those `trainRows` leaves out (the latent explorer shows them all). */
  all: Dataset;
}

/** A data set: its held-out part (`test`) for the plots and the test loss, and its training part once loaded. */
export interface PreparedData {
  /** The training part's name: 'mnist-train', 'two-moons', the CSV file's name. */
  name: string;
  /** The training part; null until it has arrived (an image set's training split loads after its test split). */
  train: TrainingPart | null;
  /**
   * Starts loading the training part on the first call and resolves with it (sets `train` too); later calls share
   * that load. Rejects when the download fails (a later call tries again) or is aborted (`LoadDataOptions.signal`).
   */
  training(): Promise<TrainingPart>;
  /** What the training part is, for the page while it loads: "the 60,000 training digits". */
  trainNoun: string;
  /** The held-out part, stored like the training part: never trained on. */
  test: Dataset;
  /** What the held-out part is, for the data summary ("the 10,000 test digits"). */
  heldOut: string;
  /** The held-out examples in plot titles: "held-out test digits", "held-out rows". */
  testNoun: string;
  imageShape: [number, number] | null;
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

/** The image sets: each split is fetched by one loader of @latentlab/data (one code path for both sets). */
const IMAGE_SETS = {
  mnist: {
    noun: 'digits',
    load: (url: string, options: ImageSplitOptions) => loadMnistFromUrl(url, { ...options, gzipped: true }),
  },
  'fashion-mnist': { noun: 'images', load: loadFashionMnistFromUrl },
} as const;
type ImageSetName = keyof typeof IMAGE_SETS;
type ImageSplitOptions = Omit<LoadFromUrlOptions, 'gzipped'>;

/**
 * `base` with its training part: `ready` at once (synthetic and CSV data), or `load`ed on the first call of
 * `training()`, once (a failed load is forgotten, so a later call tries again).
 */
function staged(
  base: Omit<PreparedData, 'train' | 'training'>,
  load: () => Promise<TrainingPart>,
  ready: TrainingPart | null = null,
): PreparedData {
  let pending: Promise<TrainingPart> | null = ready ? Promise.resolve(ready) : null;
  const data: PreparedData = {
    ...base,
    train: ready,
    training() {
      pending ??= load().then(
        (part) => {
          data.train = part;
          return part;
        },
        (error: unknown) => {
          pending = null;
          throw error;
        },
      );
      return pending;
    },
  };
  return data;
}

/** The training split as the training part: the first `trainRows` images trained on (when fewer than all). */
function imageTrainingPart(train: ImageDataset, name: string, trainRows: number | null): TrainingPart {
  const all = datasetFromImages(train, name);
  const n = train.shape[0];
  const dataset =
    trainRows !== null && trainRows < n
      ? subset(
          all,
          Int32Array.from({ length: trainRows }, (_, i) => i),
          name,
        )
      : all;
  return { dataset, n: dataset.shape[0]!, all };
}

/**
 * An image set whose test split is loaded now and whose training split is fetched when first asked for. The
 * training images must have the test images' size (the models are built for it).
 */
async function loadImageSet(name: ImageSetName, options: LoadDataOptions): Promise<PreparedData> {
  const { noun, load } = IMAGE_SETS[name];
  const url = dataUrl(name);
  const { signal, trainRows = null } = options;
  const fetch: FetchLike = (file) => globalThis.fetch(file, signal ? { signal } : {});
  // Eager: the training split is fetched alongside the test split, and `training()` takes that download first.
  let early = options.eager ? load(url, { split: 'train', fetch }) : null;
  early?.catch(() => undefined); // its failure surfaces in training()
  const test = await load(url, { split: 'test', fetch });
  const [nTest, h, w] = test.shape;
  const loadTraining = async () => {
    const split = early ?? load(url, { split: 'train', fetch });
    early = null;
    const train = await split;
    const [, th, tw] = train.shape;
    if (th !== h || tw !== w) {
      throw new DatasetError(
        'loadData',
        `${name}'s training images differ in size from its test images`,
        `${h} × ${w}`,
        `${th} × ${tw}`,
      );
    }
    return imageTrainingPart(train, `${name}-train`, trainRows);
  };
  return staged(
    {
      name: `${name}-train`,
      trainNoun: `the ${MNIST_SPLIT_SIZES.train.toLocaleString('en')} training ${noun}`,
      test: datasetFromImages(test, `${name}-test`),
      heldOut: `the ${nTest.toLocaleString('en')} test ${noun}`,
      testNoun: `held-out test ${noun}`,
      imageShape: [h, w],
      nTest,
      d: h * w,
      classNames: test.classNames ? [...test.classNames] : null,
      featureNames: [],
      plotFeatures: [0, 1],
    },
    loadTraining,
  );
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
  const part: TrainingPart = { dataset: train, n: train.shape[0]!, all: train };
  return staged(
    {
      name: train.name,
      trainNoun: `the ${part.n.toLocaleString('en')} training rows`,
      test,
      heldOut: `a seeded ${HELD_OUT.fraction * 100} % of the ${n.toLocaleString('en')} rows (${nTest.toLocaleString('en')})`,
      testNoun: 'held-out rows',
      imageShape: null,
      nTest,
      d,
      classNames,
      featureNames: featureNames ?? Array.from({ length: d }, (_, j) => `x${j + 1}`),
      plotFeatures,
    },
    async () => part,
    part,
  );
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
  /** Aborts an image set's downloads, the training split's too (the data was replaced before it arrived). */
  signal?: AbortSignal;
  /**
   * Fetch an image set's training split alongside its test split (a switch of data sets, where no figure waits for
   * the test split alone); by default it is fetched on the first call of `training()`.
   */
  eager?: boolean;
}

/** Loads `choice`: an image set's test split (its training split on demand, `training()`), other data whole. */
export async function loadData(choice: DatasetChoice, options: LoadDataOptions = {}): Promise<PreparedData> {
  switch (choice) {
    case 'mnist':
    case 'fashion-mnist':
      return loadImageSet(choice, options);
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

/** The training part of `data`; a DatasetError while it has not arrived (wait for `data.training()` first). */
export function trainingPart(data: PreparedData): TrainingPart {
  if (data.train) return data.train;
  throw new DatasetError('trainingPart', `${data.trainNoun} are still loading`, 'the training part loaded', 'none yet');
}

export function summarise(data: PreparedData): DataSummary {
  return {
    name: data.name,
    n: data.train?.n ?? null,
    trainingPending: data.train ? null : data.trainNoun,
    d: data.d,
    imageShape: data.imageShape,
    classes: data.classNames?.length ?? 0,
    nTest: data.nTest,
    heldOut: data.heldOut,
  };
}
