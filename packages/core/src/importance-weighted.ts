import {
  clone,
  logSumExp,
  mul,
  ones,
  reshape,
  stack,
  sub,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  tidy,
} from '@tensorflow/tfjs-core';
import { assertInteger, assertMinRank, assertRank } from './checks.js';
import { formatShape, ShapeError, ValueError } from './errors.js';
import { diagonalGaussianLogDensity, standardNormalLogDensity } from './log-density.js';
import { Rng } from './random.js';
import { sampleDiagonalGaussian } from './reparameterize.js';

/** What {@link importanceWeightedLogLikelihood} needs of a VAE. */
export interface ImportanceWeightedModel {
  /** q(z|x) = N(mu, diag(exp(logVar))); mu, logVar: `[batch, latentDim]`. */
  encode(x: Tensor): { mu: Tensor2D; logVar: Tensor2D };
  /** log p(x_r|z_r) per row r, for x `[rows, ...features]` and z `[rows, latentDim]` → `[rows]`. */
  logLikelihood(x: Tensor, z: Tensor2D): Tensor1D;
  /**
   * Optional fast path: log p(x_b|z_kb) for x `[batch, ...features]` (not repeated) and z `[kc, batch, latentDim]`
   * → `[kc, batch]`. When present it is used instead of `logLikelihood`, so the model can use x once per example
   * (e.g. Σ_d x_d·l_d = h·(W x) + b·x for logits l = h·W + b) instead of once per sample.
   */
  logLikelihoodSamples?(x: Tensor, z: Tensor3D): Tensor2D;
}

/** Options of `importanceWeightedLogLikelihood`: the number of samples K and the generator of ε. */
export interface ImportanceWeightedOptions {
  /** Number of importance samples K per example (5000 in the literature). */
  k: number;
  /** Samples per decoder call; memory is O(chunkSize·batch) rows. Default ⌊4096 / batch⌋ (at least 1). */
  chunkSize?: number;
  rng: Rng;
  /** Called after every chunk with the number of samples done so far and K. */
  onProgress?(done: number, total: number): void;
}

/** What `importanceWeightedLogLikelihood` returns: log p(x) per example and its mean. */
export interface ImportanceWeightedResult {
  /** The estimate of log p(x) per example, in nats. */
  logPx: Float32Array;
  /** Mean of logPx over the batch (−mean is the usual "NLL" figure). */
  mean: number;
  /** Effective sample size per example, (Σw)²/Σw² ∈ [1, K]: K when q is the exact posterior. */
  ess: Float32Array;
  k: number;
}

const FN = 'importanceWeightedLogLikelihood';
const ROWS_PER_CHUNK = 4096;

/** log(e^a + e^b) in float64, with −∞ handled. */
function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === Number.NEGATIVE_INFINITY ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

const yieldToEventLoop = () =>
  new Promise<void>((resolve) =>
    (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout(resolve, 0),
  );

/** [log Σ_k w_kb, log Σ_k w_kb²] for one chunk of kc samples: `[2, batch]`. */
function chunkSums(x: Tensor, mu: Tensor2D, logVar: Tensor2D, model: ImportanceWeightedModel, rng: Rng, kc: number) {
  return tidy(() => {
    const [batch, latentDim] = mu.shape;
    const z = sampleDiagonalGaussian(mu, logVar, rng, kc) as Tensor3D; // [kc, batch, latentDim]
    let logPxz: Tensor; // [kc, batch]
    if (model.logLikelihoodSamples) {
      logPxz = model.logLikelihoodSamples(x, z);
      if (logPxz.rank !== 2 || logPxz.shape[0] !== kc || logPxz.shape[1] !== batch) {
        const expected = `[${kc}, ${batch}] (log p(x_b|z_kb) per sample and example)`;
        throw new ShapeError(
          FN,
          'model.logLikelihoodSamples returned the wrong shape',
          expected,
          formatShape(logPxz.shape),
        );
      }
    } else {
      // x repeated kc times, row k·batch + b is x_b: a broadcast multiply by ones (exact; tfjs-wasm's Tile kernel
      // is ~40× slower than one elementwise pass).
      const one = ones([kc, ...x.shape.map(() => 1)], x.dtype === 'int32' ? 'int32' : 'float32');
      const xRep = reshape(mul(one, x), [kc * batch, ...x.shape.slice(1)]);
      const rows = model.logLikelihood(xRep, reshape(z, [kc * batch, latentDim]));
      if (rows.rank !== 1 || rows.shape[0] !== kc * batch) {
        const expected = `[${kc * batch}] (log p(x|z) per row of z)`;
        throw new ShapeError(FN, 'model.logLikelihood returned the wrong shape', expected, formatShape(rows.shape));
      }
      logPxz = reshape(rows, [kc, batch]);
    }
    // log w = log p(x|z) + log p(z) − log q(z|x), [kc, batch]
    const logW = sub(logPxz, sub(diagonalGaussianLogDensity(z, mu, logVar), standardNormalLogDensity(z)));
    return stack([logSumExp(logW, 0), logSumExp(mul(logW, 2), 0)]);
  });
}

/**
 * Importance-weighted estimate of log p(x) (Burda et al. 2015; docs/math.md §5), per example, with K samples z_k ~ q(z|x):
 *
 *     log p(x) ≈ logmeanexp_k [ log p(x|z_k) + log p(z_k) − log q(z_k|x) ] = log Σ_k w_k − log K
 *
 * A stochastic lower bound of log p(x) in expectation that tightens as K grows (K = 1 is the ELBO; exact for any K
 * when q is the true posterior). Samples are drawn `chunkSize` at a time and combined with a running logsumexp in
 * float64, so K = 5000 never holds more than one chunk of decoder outputs; the function awaits between chunks
 * (the page stays responsive) and leaks nothing. For a fixed `rng` seed the result does not depend on chunkSize.
 * A model with `logLikelihoodSamples` gets x once and z as `[kc, batch, latentDim]` per chunk (its fast path, same
 * samples, same result up to float32 rounding); otherwise x is repeated kc times for `logLikelihood`.
 * Throws a {@link ValueError} for K or chunkSize not an integer ≥ 1, a {@link ShapeError} for bad shapes.
 *
 * @example
 * // A model whose log p(x) is known: z ~ N(0, 1), x | z ~ N(z, 1), so x ~ N(0, 2); q(z|x) = N(0, 1).
 * const model = {
 *   encode: (x: tf.Tensor) => ({ mu: tf.zeros([x.shape[0], 1]) as tf.Tensor2D, logVar: tf.zeros([x.shape[0], 1]) as tf.Tensor2D }),
 *   logLikelihood: (x: tf.Tensor, z: tf.Tensor2D) =>
 *     tf.sum(tf.sub(tf.mul(tf.square(tf.sub(x, z)), -0.5), 0.5 * Math.log(2 * Math.PI)), 1) as tf.Tensor1D,
 * };
 * const x = tf.tensor2d([[0.5], [-1]]); // [batch, 1]
 * const { logPx, mean } = await importanceWeightedLogLikelihood(x, model, { k: 5000, rng: createRng(0) });
 * console.log(`NLL ≈ ${-mean} nats`);
 */
export async function importanceWeightedLogLikelihood(
  x: Tensor,
  model: ImportanceWeightedModel,
  options: ImportanceWeightedOptions,
): Promise<ImportanceWeightedResult> {
  const { k, rng, onProgress, chunkSize: chunkOption } = options ?? ({} as ImportanceWeightedOptions);
  assertMinRank(FN, 'x', x, 2, '[batch, ...features]');
  const batch = x.shape[0]!;
  if (batch < 1) throw new ShapeError(FN, 'x is empty', 'at least one example', formatShape(x.shape));
  assertInteger(FN, 'options.k', k, 1);
  const chunkSize = chunkOption ?? Math.max(1, Math.floor(ROWS_PER_CHUNK / batch));
  assertInteger(FN, 'options.chunkSize', chunkSize, 1);
  if (!(rng instanceof Rng)) throw new ValueError(FN, 'options.rng is not an Rng', 'createRng(seed)', String(rng));

  const { mu, logVar } = tidy(() => {
    const q = model.encode(x);
    return { mu: clone(q.mu), logVar: clone(q.logVar) }; // clones: we own (and dispose) them, never the model's
  });
  try {
    assertRank(FN, 'encode(x).mu', mu, 2, '[batch, latentDim]');
    if (mu.shape[0] !== batch || logVar.shape.some((d, i) => d !== mu.shape[i])) {
      const found = `mu ${formatShape(mu.shape)}, logVar ${formatShape(logVar.shape)}`;
      throw new ShapeError(
        FN,
        'model.encode(x) returned the wrong shapes',
        `mu, logVar of shape [${batch}, latentDim]`,
        found,
      );
    }
    const lse1 = new Float64Array(batch).fill(Number.NEGATIVE_INFINITY); // running log Σ w
    const lse2 = new Float64Array(batch).fill(Number.NEGATIVE_INFINITY); // running log Σ w²
    for (let done = 0; done < k; ) {
      const kc = Math.min(chunkSize, k - done);
      const sums = chunkSums(x, mu, logVar, model, rng, kc);
      const values = await sums.data(); // [2, batch]; the read also keeps the GPU queue at one chunk
      sums.dispose();
      for (let b = 0; b < batch; b++) {
        lse1[b] = logAddExp(lse1[b]!, values[b]!);
        lse2[b] = logAddExp(lse2[b]!, values[batch + b]!);
      }
      done += kc;
      onProgress?.(done, k);
      if (done < k) await yieldToEventLoop();
    }
    const logPx = Float32Array.from(lse1, (l) => l - Math.log(k));
    const ess = Float32Array.from(lse1, (l, b) => Math.exp(2 * l - lse2[b]!));
    const mean = lse1.reduce((s, l) => s + l - Math.log(k), 0) / batch;
    return { logPx, mean, ess, k };
  } finally {
    mu.dispose();
    logVar.dispose();
  }
}
