/**
 * The playground's data: MNIST (default) and Fashion-MNIST from same-origin static files, the synthetic sets of
 * @latentlab/data, and uploaded CSV files (parsed as numbers only — `parseCsv` never evaluates a cell).
 * Images stay bytes (scaled to [0, 1] per batch); other data is standardised to zero mean and unit variance.
 */
import {
  createDataset,
  type Dataset,
  datasetFromImages,
  fitStandardizer,
  gaussianBlobs,
  loadFashionMnistFromUrl,
  loadMnistFromUrl,
  parseCsv,
  swissRoll,
  twoMoons,
} from '@latentlab/data';
import type { DataSummary, DatasetChoice } from '../protocol.js';
import { readCsvUpload } from './uploads.js';

/** A data set ready to train on, plus a fixed evaluation subset for the plots. */
export interface PreparedData {
  dataset: Dataset;
  imageShape: [number, number] | null;
  /** Features as float32 in model space (images in [0, 1], other data standardised): [n, d]. */
  features: Float32Array;
  n: number;
  d: number;
  labels: Int32Array | null;
  classNames: string[] | null;
  /** The name of each feature (a CSV's column names), for axis titles; empty for images. */
  featureNames: string[];
  /** The two features non-image plots show: the Swiss roll's roll lies in its x–z plane, other data in 1 and 2. */
  plotFeatures: [number, number];
}

/** How many rows the latent scatter and reconstructions show (spread over the set, `plotRows`). */
export const PLOT_POINTS = 1000;

const origin = (globalThis as { location?: { origin: string } }).location?.origin ?? 'http://localhost';
const dataUrl = (folder: string) => new URL(`${import.meta.env.BASE_URL}data/${folder}/`, origin).href;

function toFloat(x: Dataset['x']): Float32Array {
  if (x instanceof Float32Array) return x;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! / 255;
  return out;
}

function fromImages(dataset: Dataset): PreparedData {
  const [n, h, w] = dataset.shape as [number, number, number];
  return {
    dataset,
    imageShape: [h, w],
    features: toFloat(dataset.x),
    n,
    d: h * w,
    labels: dataset.labels ? Int32Array.from(dataset.labels) : null,
    classNames: dataset.classNames ? [...dataset.classNames] : null,
    featureNames: [],
    plotFeatures: [0, 1],
  };
}

/** Standardises float features (per column) and wraps them as a data set of shape [n, d]. */
function standardised(
  name: string,
  raw: Dataset,
  labels: Int32Array | null,
  classNames: string[] | null,
  featureNames: string[] | null = null,
  plotFeatures: [number, number] = [0, 1],
): PreparedData {
  const [n, d] = [raw.shape[0]!, raw.x.length / raw.shape[0]!];
  const { mean, std } = fitStandardizer(raw);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (raw.x[i * d + j]! - mean[j]!) / std[j]!;
  }
  const dataset = createDataset({ name, x, shape: [n, d], ...(labels ? { labels } : {}) });
  const names = featureNames ?? Array.from({ length: d }, (_, j) => `x${j + 1}`);
  return { dataset, imageShape: null, features: x, n, d, labels, classNames, featureNames: names, plotFeatures };
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

export async function loadData(choice: DatasetChoice, file?: File, labelColumn?: string): Promise<PreparedData> {
  switch (choice) {
    case 'mnist':
      return fromImages(
        datasetFromImages(await loadMnistFromUrl(dataUrl('mnist'), { split: 'test', gzipped: true }), 'mnist-test'),
      );
    case 'fashion-mnist':
      return fromImages(
        datasetFromImages(
          await loadFashionMnistFromUrl(dataUrl('fashion-mnist'), { split: 'test' }),
          'fashion-mnist-test',
        ),
      );
    case 'swiss-roll': {
      const roll = swissRoll({ n: 3000, noise: 0.05, seed: 1 });
      // x = t cos t, y = 21 v, z = t sin t: the roll shows in the x–z plane.
      const bins = binned(roll.t!, 6);
      return standardised('swiss-roll', roll, bins, ['t₁', 't₂', 't₃', 't₄', 't₅', 't₆'], ['x', 'y', 'z'], [0, 2]);
    }
    case 'two-moons': {
      const moons = twoMoons({ n: 3000, noise: 0.08, seed: 1 });
      return standardised('two-moons', moons, Int32Array.from(moons.labels!), ['moon 0', 'moon 1']);
    }
    case 'blobs': {
      const { dataset } = gaussianBlobs({ n: 3000, centers: 5, dim: 10, seed: 1 });
      return standardised('blobs', dataset, Int32Array.from(dataset.labels!), ['0', '1', '2', '3', '4']);
    }
    case 'csv': {
      if (!file) throw new Error('loadData: no CSV file was chosen');
      const text = await readCsvUpload(file); // its size checked first (UPLOAD_LIMITS.csvBytes)
      const column = labelColumn?.trim();
      const table = parseCsv(text, {
        source: file.name,
        ...(column ? { labelColumn: /^-?\d+$/.test(column) ? Number(column) : column } : {}),
      });
      const raw = createDataset({ name: file.name, x: table.data, shape: table.shape });
      return standardised(file.name, raw, table.labels ?? null, table.classNames ?? null, table.columns);
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
  };
}
