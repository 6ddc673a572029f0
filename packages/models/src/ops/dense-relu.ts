import { op, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';
import { assertDenseShapes, customAffine, type DenseOptions } from './dense-grad.js';

function denseRelu_(x: Tensor2D, w: Tensor2D, b: Tensor1D, options: DenseOptions = {}): Tensor2D {
  assertDenseShapes('denseRelu', x, w, b);
  return customAffine(x, w, b, 'relu', options.inputGradient ?? true);
}

/**
 * A fully connected layer with a ReLU, y = max(x·W + b, 0).
 *
 * x: [batch, inFeatures], w: [inFeatures, outFeatures], b: [outFeatures] → y: [batch, outFeatures].
 *
 * Backward, hand-written (tfjs `customGrad`) from the saved output y, with g = ∂L/∂y ⊙ 1[y > 0]
 * (relu'(0) = 0, as in tfjs):
 *
 *     ∂L/∂x = g·Wᵀ      ∂L/∂W = xᵀ·g      ∂L/∂b = Σ_batch g
 *
 * with the backend's fast matMul layout, as in {@link dense}.
 * Throws a `ShapeError` naming `denseRelu` when the shapes do not fit.
 *
 * @example
 * const x = tf.tensor2d([[1, -2]]);
 * const w = tf.tensor2d([[1, 0], [0, 1]]);
 * denseRelu(x, w, tf.tensor1d([0, 1])); // [[1, 0]]  (max(−2 + 1, 0) = 0)
 */
export const denseRelu = op({ denseRelu_ });
