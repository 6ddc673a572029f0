/**
 * Plot specs built in the worker (pure @latentlab/viz transforms); surfaces.ts draws them into the page's canvases.
 * The latent scatter, the reconstructions and the data-vs-reconstruction plots show held-out rows (the test split
 * of MNIST and Fashion-MNIST, the held-out 20 % of other data), never trained on, and say so in their titles; the
 * loss plot's title carries the held-out (test) loss of the last epoch end.
 * Every tensor is read with `await t.data()`: on WebGPU a synchronous read goes through a canvas and, in a worker on
 * SwiftShader, returns zeros for tensors of 1 000 values or more (those not computed on the CPU).
 */
import { Pca, Vae } from '@latentlab/models';
import {
  imageGrid,
  interpolationStrip,
  latentManifold,
  latentScatter,
  lossCurves,
  type PlotSpec,
  type PointsMark,
  reconstructionGrid,
  screePlot,
} from '@latentlab/viz';
import { randomNormal, reshape, type Tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { type LatentAxes, MODEL_SHORT, type PlotSet } from '../protocol.js';
import { classLabels } from './class-labels.js';
import { PLOT_POINTS } from './datasets.js';
import type { Job, LossHistory, NeuralModel } from './job.js';
import { latentGuides, type PixelBox } from './latent-guides.js';
import { gatherRows, plotRows } from './plot-sample.js';
import { onePerClass, posteriorEllipses } from './posterior-ellipses.js';
import { take } from './read-tensor.js';

type AnyModel = NeuralModel | Pca;

function encodeAll(model: AnyModel, x: Float32Array, n: number, d: number): Promise<Float32Array> {
  return take(tidy(() => model.encode(tensor2d(x, [n, d]))));
}

/** Decodes codes (one Float32Array each) to flat outputs in data space. */
export async function decodeCodes(model: AnyModel, z: Float32Array[] | Float32Array, k: number): Promise<Float32Array> {
  const flat = Array.isArray(z) ? Float32Array.from(z.flatMap((row) => Array.from(row))) : z;
  const values = await rawDecode(model, flat, k);
  return values.map((v) => Math.min(1, Math.max(0, v)));
}

function rawDecode(model: AnyModel, flat: Float32Array, k: number): Promise<Float32Array> {
  return take(tidy(() => reshape(model.decode(tensor2d(flat, [flat.length / k, k])), [-1]) as Tensor));
}

/** The affine map code → pixel of the scatter's point mark, recovered from the extremes of both. */
function axesOf(spec: PlotSpec, codes: Float32Array, k: number): LatentAxes | undefined {
  const points = spec.marks.find((m): m is PointsMark => m.type === 'points');
  if (!points || points.x.length < 2) return undefined;
  const fit = (pixels: Float32Array, dim: number): [number, number] => {
    let zLo = Number.POSITIVE_INFINITY;
    let zHi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < codes.length / k; i++) {
      zLo = Math.min(zLo, codes[i * k + dim]!);
      zHi = Math.max(zHi, codes[i * k + dim]!);
    }
    let pLo = Number.POSITIVE_INFINITY;
    let pHi = Number.NEGATIVE_INFINITY;
    for (const p of pixels) {
      pLo = Math.min(pLo, p);
      pHi = Math.max(pHi, p);
    }
    if (zHi - zLo < 1e-12) return [1, pLo - zLo];
    // y pixels grow downwards: the largest code has the smallest pixel.
    const a = (dim === 0 ? pHi - pLo : pLo - pHi) / (zHi - zLo);
    return [a, (dim === 0 ? pLo : pHi) - a * zLo];
  };
  const [ax, bx] = fit(points.x, 0);
  const [ay, by] = fit(points.y, k > 1 ? 1 : 0);
  return { ax, bx, ay, by, latentDim: k };
}

/** The pixel extent of the scatter's points (inside its frame), where guides may be drawn. */
function pixelBox(spec: PlotSpec): PixelBox | undefined {
  const points = spec.marks.find((m): m is PointsMark => m.type === 'points');
  if (!points || points.x.length === 0) return undefined;
  const range = (v: Float32Array): [number, number] => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const p of v) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    return [lo, hi];
  };
  const [x0, x1] = range(points.x);
  const [y0, y1] = range(points.y);
  return { x0, x1, y0, y1 };
}

/** Means over bins of `bin` steps, so a long run stays a readable curve (a trailing partial bin is left out). */
function binned(values: number[], bin: number): number[] {
  const out: number[] = [];
  const end = values.length >= bin ? values.length - (values.length % bin) : values.length;
  for (let i = 0; i < end; i += bin) {
    const chunk = values.slice(i, Math.min(end, i + bin));
    out.push(chunk.reduce((s, v) => s + v, 0) / chunk.length);
  }
  return out;
}

/** "test loss 151.2 (epoch 2)" (4 significant digits): the held-out loss for titles (PCA: its mean squared error per feature). */
export function testLossLabel(job: Pick<Job, 'test' | 'kind'>): string | null {
  if (!job.test) return null;
  if (job.kind === 'pca') return `test MSE ${job.test.loss.toPrecision(3)}`;
  return `test loss ${job.test.loss.toPrecision(4)} (epoch ${job.test.epoch})`;
}

export function lossPlot(history: LossHistory, title: string): PlotSpec | undefined {
  if (history.total.length === 0) return undefined;
  const bin = history.total.length > 2000 ? 50 : 10;
  const hasKl = history.kl.some((v) => Number.isFinite(v));
  return lossCurves({
    train: {
      reconstruction: binned(history.reconstruction, bin),
      ...(hasKl ? { kl: binned(history.kl, bin), total: binned(history.total, bin) } : {}),
    },
    title,
    xLabel: `steps (÷ ${bin})`,
    yLabel: 'loss per example',
    width: 780,
    height: 260,
  });
}

/** Largest |z| over the first two dims (rounded up), the half-width of the decoded grid for an autoencoder. */
function codeExtent(codes: Float32Array, k: number): number {
  let m = 0;
  for (let i = 0; i < codes.length / k; i++) {
    m = Math.max(m, Math.abs(codes[i * k]!), Math.abs(codes[i * k + (k > 1 ? 1 : 0)]!));
  }
  return Math.max(1, Math.ceil(m * 10) / 10);
}

/**
 * PCA's scree plot in the place of a loss curve: the share of variance r_j = λ_j / Σ_all λ of each kept component.
 * Only the k kept eigenvalues are known; the d − k others sum to totalVariance − Σ_kept λ, so they enter as d − k
 * equal parts of that rest (each ≤ λ_k, so the sort order holds) and the ratios of the kept ones stay exact.
 */
function pcaScree(model: Pca, d: number, compact: boolean): PlotSpec {
  const kept = Array.from(model.explainedVariance);
  const rest = Math.max(0, model.totalVariance - kept.reduce((s, v) => s + v, 0));
  const others = d - kept.length;
  const variances = others > 0 ? [...kept, ...Array.from({ length: others }, () => rest / others)] : kept;
  return screePlot({
    variances,
    maxComponents: kept.length,
    title: 'PCA: share of variance per component',
    width: compact ? 340 : 780,
    height: 260,
  });
}

/**
 * Decodes `count` codes z ~ N(0, I) (a fixed seed, so the picture does not flicker between updates), in data space.
 * Each sample is its own draw: a linear decoder (PCA) maps them to a Gaussian cloud, x = W z + μ.
 */
export async function priorSamples(model: AnyModel, k: number, count: number, seed = 11): Promise<Float32Array> {
  const codes = await take(randomNormal([count, k], 0, 1, 'float32', seed));
  return rawDecode(model, codes, k);
}

/** Everything the views show for a model at its current weights. */
export async function plotsFor(job: Job, compact = false): Promise<PlotSet<PlotSpec>> {
  const SIZE = compact ? { width: 340, height: 300 } : { width: 380, height: 320 };
  const { model, data } = job;
  if (model instanceof Pca && !model.isFitted) return {};
  const k = job.settings.latentDim;
  // Held-out rows spread over the whole held-out set, so data stored class by class (two moons) shows every class.
  const { test } = data;
  const rows = plotRows(data.nTest, PLOT_POINTS);
  const n = rows.length;
  const x = gatherRows(test.x, data.d, rows);
  const codes = await encodeAll(model, x, n, data.d);
  const label = MODEL_SHORT[job.kind];
  const isVae = job.kind === 'vae' || job.kind === 'pca';
  const labels = test.labels ? Int32Array.from(rows, (r) => test.labels![r]!) : undefined;
  const scatter = latentScatter({
    codes,
    dim: k,
    ...(labels ? { labels, classNames: data.classNames ?? undefined } : {}),
    title: compact ? `${label}: held-out codes` : `${label}: ${n} ${data.testNoun}`,
    ...SIZE,
  });
  const axes = axesOf(scatter, codes, k);
  const plots: PlotSet<PlotSpec> = { scatter, axes };
  const gridExtent = data.imageShape && k >= 2 ? (isVae ? 3 : codeExtent(codes, k)) : null;
  // Classes told by their labels, not by colour alone.
  const points = scatter.marks.find((m): m is PointsMark => m.type === 'points');
  const names =
    data.classNames ?? (labels ? Array.from({ length: Math.max(...labels) + 1 }, (_, i) => String(i)) : null);
  if (points && labels && names && names.length <= 12) scatter.marks.push(...classLabels(points, names));
  const box = pixelBox(scatter);
  if (axes && box && k >= 2) scatter.marks.push(...latentGuides(axes, gridExtent, box));
  // A VAE's codes are distributions: the 1σ ellipse of q(z|x) for one input per class.
  if (model instanceof Vae && axes && points && labels && k >= 2) {
    const picks = onePerClass(labels);
    scatter.marks.push(...(await posteriorEllipses(model, x, data.d, picks, axes, points.colors)));
    plots.posteriorsShown = picks.length;
  }
  if (labels) plots.classesShown = new Set(labels).size;
  const testLabel = testLossLabel(job);
  const loss =
    model instanceof Pca
      ? pcaScree(model, data.d, compact)
      : lossPlot(job.history, `${label}: training loss${testLabel && !compact ? ` · ${testLabel}` : ''}`);
  if (loss) plots.loss = loss;
  const priorCodes = await take(randomNormal([16, k], 0, 1, 'float32', 7));
  if (data.imageShape) {
    const shape = data.imageShape;
    const inputs = x.subarray(0, 8 * data.d);
    plots.reconstructions = reconstructionGrid({
      inputs,
      reconstructions: await decodeCodes(model, codes.subarray(0, 8 * k), k),
      imageShape: shape,
      perRow: 8,
      title: `${label}: held-out (top), reconstructions`,
      ...SIZE,
      height: 150,
    });
    plots.samples = imageGrid({
      images: await decodeCodes(model, priorCodes, k),
      imageShape: shape,
      cols: 8,
      title: `${label}: decoded z ~ N(0, I)`,
      ...SIZE,
      height: 150,
    });
    const extent = gridExtent ?? (isVae ? 3 : codeExtent(codes, k));
    plots.manifold = await latentManifold({
      decode: (z) => decodeCodes(model, z, k),
      imageShape: shape,
      latentDim: k,
      n: 12,
      spacing: 'linear',
      extent,
      title: `${label}: ${compact ? 'grid' : 'decoded grid'} on [−${extent}, ${extent}]²`,
      ...SIZE,
      height: SIZE.width,
    });
  } else {
    const m = Math.min(n, 400);
    const [a, b] = data.plotFeatures;
    const axisLabels = { xLabel: data.featureNames[a] ?? `x${a + 1}`, yLabel: data.featureNames[b] ?? `x${b + 1}` };
    const recon = await rawDecode(model, codes.subarray(0, m * k), k);
    const both = new Float32Array(4 * m);
    for (let i = 0; i < m; i++) {
      both.set([x[i * data.d + a]!, x[i * data.d + b]!], 2 * i);
      both.set([recon[i * data.d + a]!, recon[i * data.d + b]!], 2 * (m + i));
    }
    plots.reconstructions = latentScatter({
      codes: both,
      dim: 2,
      labels: Int32Array.from({ length: 2 * m }, (_, i) => (i < m ? 0 : 1)),
      classNames: ['data', 'reconstruction'],
      title: `${label}: held-out vs reconstruction`,
      ...axisLabels,
      ...SIZE,
    });
    const count = 200;
    const samples = await priorSamples(model, k, count);
    const withData = new Float32Array(2 * (m + count));
    for (let i = 0; i < m; i++) withData.set([x[i * data.d + a]!, x[i * data.d + b]!], 2 * i);
    for (let i = 0; i < count; i++) withData.set([samples[i * data.d + a]!, samples[i * data.d + b]!], 2 * (m + i));
    plots.samples = latentScatter({
      codes: withData,
      dim: 2,
      labels: Int32Array.from({ length: m + count }, (_, i) => (i < m ? 0 : 1)),
      classNames: ['held-out data', 'decoded z ~ N(0, I)'],
      title: `${label}: decoded prior samples`,
      ...axisLabels,
      ...SIZE,
    });
  }
  return plots;
}

/** The decoded image (or data point) of one code. */
export async function decodePoint(job: Job, z: number[]): Promise<PlotSpec> {
  const k = job.settings.latentDim;
  const code = Float32Array.from({ length: k }, (_, i) => z[i] ?? 0);
  const label = code.slice(0, 2).reduce((s, v, i) => `${s}${i ? ', ' : ''}${v.toFixed(2)}`, '');
  if (job.data.imageShape) {
    return imageGrid({
      images: await decodeCodes(job.model, code, k),
      imageShape: job.data.imageShape,
      cols: 1,
      title: `decode(${label}${k > 2 ? ', 0, …' : ''})`,
      xLabel: `${job.data.imageShape[0]} × ${job.data.imageShape[1]}`,
      width: 200,
      height: 230,
    });
  }
  const out = await rawDecode(job.model, code, k);
  return imageGrid({
    images: Float32Array.from(out, (v) => 1 / (1 + Math.exp(-v))),
    imageShape: [1, out.length],
    cols: 1,
    title: `decode(${label}) → ${Array.from(out.slice(0, 3), (v) => v.toFixed(2)).join(', ')}`,
    width: 320,
    height: 120,
  });
}

export async function interpolatePoints(job: Job, a: number[], b: number[]): Promise<PlotSpec> {
  const k = job.settings.latentDim;
  const full = (z: number[]) => Float32Array.from({ length: k }, (_, i) => z[i] ?? 0);
  const shape = job.data.imageShape ?? [1, job.data.d];
  return interpolationStrip({
    decode: async (z) =>
      job.data.imageShape
        ? decodeCodes(job.model, z, k)
        : (await rawDecode(job.model, Float32Array.from(z.flatMap((r) => Array.from(r))), k)).map(
            (v) => 1 / (1 + Math.exp(-v)),
          ),
    imageShape: shape,
    a: full(a),
    b: full(b),
    steps: 10,
    method: 'linear',
    title: 'Interpolation between the two picked codes',
    width: 780,
    height: 150,
  });
}
