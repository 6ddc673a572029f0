import { abs, add, cast, exp, log1p, mul, neg, op, relu, sub, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { assertExamplePair, sumOverFeatures } from './squared-error.js';

const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : cast(t, 'float32'));

/**
 * Element-wise binary cross-entropy from logits: ℓ(x, l) = max(l, 0) − l·x + log(1 + exp(−|l|)).
 *
 * This equals −x·log σ(l) − (1 − x)·log(1 − σ(l)): for l ≥ 0, −log σ(l) = log(1 + e^{−l}); for l < 0,
 * −log σ(l) = −l + log(1 + e^{l}); both branches are the formula above, and exp only ever sees −|l| ≤ 0, so
 * nothing overflows (tfjs `sigmoid_cross_entropy.ts`). Autodiff gives ∂ℓ/∂l = step(l) − x − sign(l)·σ(−|l|)
 * = σ(l) − x; at the kink l = 0 tfjs takes relu' = 0 and abs' = −1, which yields the exact ½ − x.
 */
function elementwiseBce(x: Tensor, logits: Tensor): Tensor {
  const l = asFloat(logits);
  return add(sub(relu(l), mul(l, asFloat(x))), log1p(exp(neg(abs(l)))));
}

function bernoulliNll_(x: Tensor, logits: Tensor): Tensor1D {
  assertExamplePair('bernoulliNll', x, 'logits', logits);
  return sumOverFeatures(elementwiseBce(x, logits)); // [batch]
}

/**
 * Negative log-likelihood of a Bernoulli decoder, per example (docs/math.md §4):
 *
 *     −log p(x|z) = Σ_i [ max(l_i, 0) − l_i·x_i + log(1 + exp(−|l_i|)) ]     l = logits = f(z)
 *
 * summed over every non-batch axis; x, logits: `[batch, ...features]` → `[batch]` (nats). x may hold grey
 * levels in [0, 1] (the cross-entropy of pytorch/examples `vae/main.py`); values are not checked, as that
 * would need a read-back. Computed from logits, never as log(sigmoid(l)): value and gradient
 * ∂/∂l_i = σ(l_i) − x_i stay finite and exact for logits of any magnitude (±100 included).
 *
 * @example
 * const x = tf.tensor2d([[1, 0, 0.5]]);
 * const logits = tf.tensor2d([[2, -1, 0]]);
 * bernoulliNll(x, logits); // [log(1 + e^−2) + log(1 + e^−1) + log 2] ≈ [1.1333]
 */
export const bernoulliNll = op({ bernoulliNll_ });
