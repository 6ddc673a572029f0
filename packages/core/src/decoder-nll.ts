import { op, type Scalar, Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { bernoulliNll } from './bernoulli-nll.js';
import { assertFiniteNumber, assertRank } from './checks.js';
import { ValueError } from './errors.js';
import { gaussianNll, gaussianNllLogC, gaussianReconstructionLoss } from './gaussian-nll.js';

/**
 * A VAE decoder's likelihood p(x|z) (docs/math.md §4). `'bernoulli'`: the decoder output is logits.
 * `'gaussian'`: it is the mean f(z), and exactly one of `c`, `logC` or `C` is given.
 */
export interface DecoderLikelihood {
  readonly decoder: 'bernoulli' | 'gaussian';
  /** Gaussian, fixed variance c of N(f(z), c·I): the full −log p(x|z) ({@link gaussianNll}). */
  readonly c?: number;
  /** Gaussian, learned variance: a scalar tensor log c ({@link gaussianNllLogC}), differentiable. */
  readonly logC?: Scalar;
  /** Gaussian, loss form C·‖x − f(z)‖² ({@link gaussianReconstructionLoss}, C = 1/(2c), no constant). */
  readonly C?: number;
}

/** The option names {@link decoderNll} reads. */
const DECODER_LIKELIHOOD_KEYS = Object.freeze(['decoder', 'c', 'logC', 'C'] as const);

/**
 * Checks a {@link DecoderLikelihood}: a known decoder, no variance with Bernoulli, exactly one of c, logC, C with
 * Gaussian, c and C finite and > 0, logC a scalar tensor. Throws a ValueError (ShapeError for logC) naming `fn`.
 */
export function assertDecoderLikelihood(fn: string, o: DecoderLikelihood): void {
  if (o.decoder !== 'bernoulli' && o.decoder !== 'gaussian') {
    throw new ValueError(fn, 'unknown decoder', "'bernoulli' or 'gaussian'", String(o.decoder));
  }
  const given = DECODER_LIKELIHOOD_KEYS.filter((k) => k !== 'decoder' && o[k] !== undefined);
  const found = given.join(' and ') || 'neither';
  if (o.decoder === 'bernoulli' && given.length > 0) {
    throw new ValueError(fn, 'c, logC and C only apply to the gaussian decoder', 'none with bernoulli', found);
  }
  if (o.decoder === 'gaussian' && given.length !== 1) {
    throw new ValueError(fn, 'the gaussian decoder needs its variance c, logC or weight C', 'exactly one', found);
  }
  if (o.c !== undefined) assertFiniteNumber(fn, 'c (decoder variance)', o.c, { positive: true });
  if (o.C !== undefined) assertFiniteNumber(fn, 'C (reconstruction weight)', o.C, { positive: true });
  if (o.logC !== undefined) {
    if (!(o.logC instanceof Tensor)) {
      throw new ValueError(fn, 'logC is not a tensor', 'a scalar tensor log c', String(o.logC));
    }
    assertRank(fn, 'logC', o.logC, 0, 'a scalar log c');
  }
}

function decoderNll_(x: Tensor, decoded: Tensor, likelihood: DecoderLikelihood): Tensor1D {
  assertDecoderLikelihood('decoderNll', likelihood);
  const { decoder, c, logC, C } = likelihood;
  if (decoder === 'bernoulli') return bernoulliNll(x, decoded);
  if (c !== undefined) return gaussianNll(x, decoded, c);
  if (logC !== undefined) return gaussianNllLogC(x, decoded, logC);
  return gaussianReconstructionLoss(x, decoded, C as number);
}

/**
 * The reconstruction term −log p(x|z) of every decoder kind, per example (docs/math.md §4):
 *
 *     bernoulli:          Σ_i [ max(l_i, 0) − l_i·x_i + log(1 + exp(−|l_i|)) ]     ({@link bernoulliNll})
 *     gaussian, c / logC: ‖x − f(z)‖²/(2c) + (D/2)·log(2πc)                          ({@link gaussianNll}, {@link gaussianNllLogC})
 *     gaussian, C:        C·‖x − f(z)‖²  (the loss form, no constant)                ({@link gaussianReconstructionLoss})
 *
 * x, decoded: `[batch, ...features]` → `[batch]` (nats). This is the term {@link negativeElbo} averages, and
 * −decoderNll is the log p(x|z) of importance-weighted evaluation, so every model composes its loss and its
 * log-likelihood from the same formulas.
 *
 * @example
 * const [x, logits, mean] = [tf.ones([4, 6]), tf.zeros([4, 6]), tf.fill([4, 6], 0.5)]; // [batch, features]
 * const logC = tf.scalar(0); // log c of a learned variance (a Variable in a model)
 * decoderNll(x, logits, { decoder: 'bernoulli' });        // [batch]: 6·log 2 each
 * decoderNll(x, mean, { decoder: 'gaussian', logC });       // [batch]: a learned variance
 */
export const decoderNll = op({ decoderNll_ });
