import { klPerDimension, screePlot } from './bar-charts.js';
import { type LatentCodes, readCodes } from './codes.js';
import { imageGrid, reconstructionGrid } from './image-grid.js';
import type { ImagesInput } from './images.js';
import { type Decode, interpolationStrip, latentManifold } from './latent-manifold.js';
import { latentScatter } from './latent-scatter.js';
import { type LossHistory, lossCurves } from './loss-curves.js';
import { pca } from './pca.js';
import type { PlotSpec } from './spec.js';

/** One section of a report: a heading, optional text, and a plot (or a promise of one). */
export interface ReportSection {
  heading: string;
  text?: string;
  plot: PlotSpec | Promise<PlotSpec>;
}

/** Plain arrays a report can be built from; every field is optional and only what is given is plotted. */
export interface LatentReportData {
  codes?: LatentCodes;
  /** Length of each code when `codes` is flat. */
  dim?: number;
  labels?: ArrayLike<number>;
  classNames?: string[];
  imageShape?: [number, number];
  inputs?: ImagesInput;
  reconstructions?: ImagesInput;
  samples?: ImagesInput;
  decode?: Decode;
  history?: { train: LossHistory; validation?: LossHistory; logScale?: boolean };
  /** Mean KL per latent dimension (nats). */
  klPerDim?: ArrayLike<number>;
  seed?: number;
}

/**
 * Builds report sections from plain arrays: loss curves, the latent scatter (on the top-2 principal plane when
 * dim > 2, with a scree plot), KL per dimension, reconstructions, samples, the decoded manifold and a slerp
 * interpolation between two codes of different classes.
 *
 * @example
 * const { codes, labels } = syntheticLatents(500, { seed: 1 });
 * const history = { train: { total: [180, 140, 125] }, validation: { total: [150, 130, 127] } };
 * const decode = (z: Float32Array[]) => toyDecode(z);
 * const sections = latentReportSections({ codes, dim: 2, labels, history, decode, imageShape: [28, 28] });
 * await writeReport('report', { title: 'VAE on MNIST', sections }); // from '@latentlab/viz/node'
 */
export function latentReportSections(data: LatentReportData): ReportSection[] {
  const sections: ReportSection[] = [];
  const { imageShape, decode } = data;
  if (data.history) {
    sections.push({ heading: 'Training', plot: lossCurves({ ...data.history, title: 'Loss per epoch' }) });
  }
  let matrix: ReturnType<typeof readCodes> | undefined;
  if (data.codes) {
    matrix = readCodes('latentReportSections', data.codes, data.dim);
    const base = { labels: data.labels, classNames: data.classNames, seed: data.seed ?? 1 } as const;
    const labelled = {
      ...(base.labels ? { labels: base.labels } : {}),
      ...(base.classNames ? { classNames: base.classNames } : {}),
    };
    if (matrix.dim > 2) {
      const p = pca(matrix.data, matrix.dim);
      const proj = new Float64Array(matrix.n * 2);
      for (let i = 0; i < matrix.n; i++) {
        for (let k = 0; k < 2; k++) {
          let s = 0;
          for (let j = 0; j < matrix.dim; j++)
            s += (matrix.data[i * matrix.dim + j]! - p.mean[j]!) * p.components[k]![j]!;
          proj[i * 2 + k] = s;
        }
      }
      sections.push({
        heading: 'Latent space',
        text: `Codes of dimension ${matrix.dim} projected on their top two principal components.`,
        plot: latentScatter({
          codes: proj,
          dim: 2,
          ...labelled,
          title: 'Latent codes (PCA projection)',
          xLabel: 'PC 1',
          yLabel: 'PC 2',
        }),
      });
      sections.push({ heading: 'Principal components of the codes', plot: screePlot({ variances: p.variances }) });
    } else {
      sections.push({
        heading: 'Latent space',
        plot: latentScatter({ codes: matrix.data, dim: matrix.dim, ...labelled }),
      });
    }
  }
  if (data.klPerDim) sections.push({ heading: 'Active units', plot: klPerDimension({ kl: data.klPerDim }) });
  if (imageShape && data.inputs && data.reconstructions) {
    sections.push({
      heading: 'Reconstructions',
      plot: reconstructionGrid({ inputs: data.inputs, reconstructions: data.reconstructions, imageShape }),
    });
  }
  if (imageShape && data.samples) {
    sections.push({
      heading: 'Samples',
      plot: imageGrid({ images: data.samples, imageShape, title: 'Samples from the prior' }),
    });
  }
  if (imageShape && decode && matrix) {
    const plane = matrix.dim > 2 ? { codes: matrix.data, codesDim: matrix.dim } : { latentDim: matrix.dim };
    sections.push({
      heading: 'Learned manifold',
      plot: latentManifold({ decode, imageShape, n: 15, spacing: 'gaussian', ...plane }),
    });
    // Interpolate from the first code to the farthest of the next 100 codes.
    const m = matrix;
    const row = (i: number) => m.data.subarray(i * m.dim, (i + 1) * m.dim);
    let j = 1;
    let best = -1;
    for (let i = 1; i < Math.min(m.n, 101); i++) {
      const dist = row(i).reduce((s, v, k) => s + (v - row(0)[k]!) ** 2, 0);
      if (dist > best) [best, j] = [dist, i];
    }
    if (matrix.n >= 2) {
      sections.push({
        heading: 'Interpolation',
        plot: interpolationStrip({ decode, imageShape, a: row(0), b: row(j), steps: 10, method: 'slerp' }),
      });
    }
  }
  return sections;
}
