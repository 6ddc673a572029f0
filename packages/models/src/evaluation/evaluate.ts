import { checkInteger, checkKeys, createRng, importanceWeightedLogLikelihood, ValueError } from '@latentlab/core';
import { batches, type Dataset, type TransformOptions } from '@latentlab/data';
import { dispose, reshape, squaredDifference, sum, type Tensor, type Tensor2D, tidy } from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import { inputDataset, type ModelInput } from '../inputs.js';
import type { LossSummary } from '../model-contract.js';
import type { Pca } from '../pca/pca.js';
import { Vae } from '../vae.js';
import { vaeLogLikelihood } from './vae-log-likelihood.js';

export { type VaeLogLikelihood, vaeLogLikelihood } from './vae-log-likelihood.js';

/** The threshold on Cov_x(E_q[z_j]) above which a latent dimension counts as active (Burda et al. 2015). */
export const ACTIVE_UNIT_THRESHOLD = 0.01;

/** Options of {@link evaluateLatentModel}. */
export interface EvaluateOptions {
  /** Examples per batch (default 500). */
  batchSize?: number;
  /** How stored values become batch values (as in training). */
  transform?: TransformOptions;
  /** VAE only: importance samples K of the IWAE estimate (0 or absent: skip it). */
  iwaeK?: number;
  /** Examples per IWAE call (default 100; K·batch rows are decoded per chunk of `⌊4096/batch⌋` samples). */
  iwaeBatchSize?: number;
  /** Seed of the IWAE samples (default 0). */
  seed?: number;
  /** Called as IWAE progresses: examples fully done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link evaluateLatentModel} measures (nats per example unless noted). */
export interface LatentMetrics {
  model: 'vae' | 'autoencoder';
  examples: number;
  /** VAE: the negative ELBO with z sampled, reconstruction and KL apart; autoencoder: its loss (kl null). */
  loss: LossSummary;
  /** Mean over examples of (1/d)‖x − decode(encode(x))‖² (the code is μ for a VAE). */
  reconstructionMse: number;
  /** VAE: mean over x of KL(q(z_j|x) ‖ N(0, 1)) per latent dimension j; null for an autoencoder. */
  klPerDim: number[] | null;
  /** Cov_x(E_q[z_j]) per dimension (the code's variance over the data for an autoencoder). */
  codeVariance: number[];
  /** Dimensions with codeVariance > {@link ACTIVE_UNIT_THRESHOLD}. */
  activeUnits: number;
  /**
   * VAE: KL(N(m, Σ) ‖ N(0, I)) of the moment-matched aggregate posterior, m = mean μ, Σ = Cov(μ) + diag(mean σ²):
   * ½(tr Σ + mᵀm − D − log det Σ). 0 when q(z) matches the prior's first two moments; null for an autoencoder.
   */
  aggregatePosteriorKl: number | null;
  /** VAE with `iwaeK`: −mean log p̂_K(x) (the importance-weighted NLL), K, mean effective sample size, seconds. */
  iwae: { k: number; nll: number; meanEss: number; seconds: number } | null;
}

/** What {@link pcaMetrics} reports. */
export interface PcaMetrics {
  nComponents: number;
  explainedVarianceRatio: number[];
  /** Σ_{j≤k} λ_j / Σ λ. */
  cumulativeExplainedVariance: number;
  /** Mean over examples of (1/d)‖x − decode(encode(x))‖², when data was given. */
  reconstructionMse: number | null;
}

const EVALUATE_OPTION_KEYS = ['batchSize', 'transform', 'iwaeK', 'iwaeBatchSize', 'seed', 'onProgress'];

/**
 * Evaluates a VAE or autoencoder on `data` in one pass of batches (plus the IWAE pass when `iwaeK` is set):
 * the loss (negative ELBO for a VAE), reconstruction MSE, KL per latent dimension, active units
 * (Cov_x(E_q[z_j]) > 0.01), the aggregate posterior's distance from N(0, I), and the importance-weighted NLL
 * with K samples (core's `importanceWeightedLogLikelihood`, chunked, so K = 5000 fits in memory; the decoder term
 * through {@link vaeLogLikelihood}'s `logLikelihoodSamples`, so K = 5000 over the 10 000 MNIST test images takes
 * ≈ 22 min on one wasm thread). Moments are accumulated in float64. Leaks no tensors.
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * const testSet = tf.randomUniform([8, 784]);
 * const onProgress = (done: number, total: number) => console.log(done, total);
 * const m = await evaluateLatentModel(vae, testSet, { iwaeK: 50, onProgress }); // iwaeK 5000 for a paper's figure
 * console.log(m.loss.loss, m.iwae?.nll, m.activeUnits);
 */
export async function evaluateLatentModel(
  model: Vae | Autoencoder,
  data: ModelInput,
  options: EvaluateOptions = {},
): Promise<LatentMetrics> {
  const fn = 'evaluateLatentModel';
  if (!(model instanceof Vae) && !(model instanceof Autoencoder)) {
    throw new ValueError(fn, 'model cannot be evaluated', 'a Vae or an Autoencoder', String(model));
  }
  checkKeys(fn, 'options', options, EVALUATE_OPTION_KEYS);
  const { batchSize = 500, transform = {}, iwaeK = 0, iwaeBatchSize = 100, seed = 0, onProgress } = options;
  checkInteger(fn, 'batchSize', batchSize, 1);
  checkInteger(fn, 'iwaeK', iwaeK, 0);
  checkInteger(fn, 'iwaeBatchSize', iwaeBatchSize, 1);
  const ds = await inputDataset(fn, 'data', data);
  const isVae = model instanceof Vae;
  const loss = await model.evaluate(ds, { batchSize, transform });
  const D = model.latentDim;
  let n = 0;
  let sse = 0;
  const sumMu = new Float64Array(D);
  const sumMuMu = new Float64Array(D * D);
  const sumVar = new Float64Array(D);
  const sumKl = new Float64Array(D);
  for (const batch of batches(ds, { ...transform, batchSize, shuffle: false })) {
    const x = batch.x as Tensor2D;
    const [mu, logVar, err] = tidy(() => {
      const q = isVae ? (model as Vae).posterior(x) : { mu: model.encode(x), logVar: null };
      const xHat = reshape(model.decode(q.mu), x.shape);
      return [q.mu, q.logVar, sum(squaredDifference(x, xHat))] as const;
    });
    const muV = await mu.data();
    const lvV = logVar ? await logVar.data() : null;
    sse += (await err.data())[0]!;
    dispose([mu, logVar ?? [], err, batch] as Tensor[]);
    const b = x.shape[0];
    n += b;
    for (let r = 0; r < b; r++) {
      for (let j = 0; j < D; j++) {
        const m = muV[r * D + j]!;
        sumMu[j] = sumMu[j]! + m;
        for (let k = 0; k <= j; k++) sumMuMu[j * D + k] = sumMuMu[j * D + k]! + m * muV[r * D + k]!;
        if (lvV) {
          const lv = lvV[r * D + j]!;
          const v = Math.exp(lv);
          sumVar[j] = sumVar[j]! + v;
          sumKl[j] = sumKl[j]! + 0.5 * (m * m + v - 1 - lv);
        }
      }
    }
  }
  const mean = Array.from(sumMu, (s) => s / n);
  const cov = new Float64Array(D * D); // Cov(μ), n − 1 normalisation
  for (let j = 0; j < D; j++) {
    for (let k = 0; k <= j; k++) {
      const c = (sumMuMu[j * D + k]! - n * mean[j]! * mean[k]!) / Math.max(n - 1, 1);
      cov[j * D + k] = c;
      cov[k * D + j] = c;
    }
  }
  const codeVariance = Array.from({ length: D }, (_, j) => cov[j * D + j]!);
  let aggregatePosteriorKl: number | null = null;
  if (isVae) {
    const sigma = Float64Array.from(cov);
    for (let j = 0; j < D; j++) sigma[j * D + j] = sigma[j * D + j]! + sumVar[j]! / n;
    aggregatePosteriorKl = gaussianKlToStandard(mean, sigma, D);
  }
  let iwae: LatentMetrics['iwae'] = null;
  if (isVae && iwaeK > 0) iwae = await iwaeNll(model as Vae, ds, transform, iwaeK, iwaeBatchSize, seed, onProgress);
  return {
    model: isVae ? 'vae' : 'autoencoder',
    examples: n,
    loss,
    reconstructionMse: sse / (n * model.inputSize),
    klPerDim: isVae ? Array.from(sumKl, (s) => s / n) : null,
    codeVariance,
    activeUnits: codeVariance.filter((v) => v > ACTIVE_UNIT_THRESHOLD).length,
    aggregatePosteriorKl,
    iwae,
  };
}

/** −mean log p̂_K(x) over `ds`, batch by batch (one seeded stream across batches). */
async function iwaeNll(
  vae: Vae,
  ds: Dataset,
  transform: TransformOptions,
  k: number,
  batchSize: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<NonNullable<LatentMetrics['iwae']>> {
  const start = Date.now();
  const total = ds.shape[0]!;
  const rng = createRng(seed);
  const decoder = vaeLogLikelihood(vae);
  const adapter = {
    encode: (x: Tensor) => vae.posterior(x),
    logLikelihood: decoder.logLikelihood,
    logLikelihoodSamples: decoder.logLikelihoodSamples,
  };
  let sumLogPx = 0;
  let sumEss = 0;
  let done = 0;
  try {
    for (const batch of batches(ds, { ...transform, batchSize, shuffle: false })) {
      const b = batch.x.shape[0];
      try {
        const r = await importanceWeightedLogLikelihood(batch.x, adapter, {
          k,
          rng,
          onProgress: (s, K) => onProgress?.(done + (b * s) / K, total),
        });
        sumLogPx += r.mean * b;
        sumEss += r.ess.reduce((a, e) => a + e, 0);
      } finally {
        dispose(batch);
      }
      done += b;
    }
  } finally {
    decoder.dispose();
  }
  return { k, nll: -sumLogPx / total, meanEss: sumEss / total, seconds: (Date.now() - start) / 1000 };
}

/**
 * KL(N(m, Σ) ‖ N(0, I)) = ½(tr Σ + mᵀm − D − log det Σ), log det by Cholesky in float64 (∞ if Σ is singular);
 * Σ is D×D row-major.
 *
 * @example
 * gaussianKlToStandard([1, -1], Float64Array.from([2, 0.5, 0.5, 1]), 2); // ½(3 + 2 − 2 − log 1.75)
 */
export function gaussianKlToStandard(m: readonly number[], sigma: Float64Array, D: number): number {
  const L = Float64Array.from(sigma);
  let logDet = 0;
  for (let j = 0; j < D; j++) {
    let s = L[j * D + j]!;
    for (let k = 0; k < j; k++) s -= L[j * D + k]! ** 2;
    if (!(s > 0)) return Number.POSITIVE_INFINITY;
    const ljj = Math.sqrt(s);
    L[j * D + j] = ljj;
    logDet += 2 * Math.log(ljj);
    for (let i = j + 1; i < D; i++) {
      let t = L[i * D + j]!;
      for (let k = 0; k < j; k++) t -= L[i * D + k]! * L[j * D + k]!;
      L[i * D + j] = t / ljj;
    }
  }
  let trace = 0;
  let mm = 0;
  for (let j = 0; j < D; j++) {
    trace += sigma[j * D + j]!;
    mm += m[j]! ** 2;
  }
  return 0.5 * (trace + mm - D - logDet);
}

/**
 * PCA's figures: explained-variance ratios λ_j / Σλ, their sum, and (with data) the reconstruction MSE.
 *
 * @example
 * const testX = tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9], [4, 8]]);
 * const pca = new Pca({ nComponents: 1 });
 * await pca.fit(testX);
 * const { cumulativeExplainedVariance } = await pcaMetrics(pca, testX); // ≈ 1: the rows lie close to a line
 */
export async function pcaMetrics(pca: Pca, data?: Tensor): Promise<PcaMetrics> {
  const ratios = Array.from(pca.explainedVarianceRatio);
  let reconstructionMse: number | null = null;
  if (data !== undefined) {
    const e = tidy(() => {
      const flat = reshape(data, [data.shape[0]!, data.size / data.shape[0]!]) as Tensor2D;
      return sum(squaredDifference(flat, pca.reconstruct(flat)));
    });
    reconstructionMse = (await e.data())[0]! / data.size;
    e.dispose();
  }
  return {
    nComponents: ratios.length,
    explainedVarianceRatio: ratios,
    cumulativeExplainedVariance: ratios.reduce((a, b) => a + b, 0),
    reconstructionMse,
  };
}
