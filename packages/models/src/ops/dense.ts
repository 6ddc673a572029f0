import { op, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';
import { assertDenseShapes, customAffine, type DenseOptions } from './dense-grad.js';

function dense_(x: Tensor2D, w: Tensor2D, b: Tensor1D, options: DenseOptions = {}): Tensor2D {
  assertDenseShapes('dense', x, w, b);
  return customAffine(x, w, b, 'linear', options.inputGradient ?? true);
}

/**
 * A fully connected layer's affine map, y = x·W + b.
 *
 * x: [batch, inFeatures], w: [inFeatures, outFeatures], b: [outFeatures] → y: [batch, outFeatures].
 *
 * Forward: matMul plus bias (one fused kernel off wasm). Backward, hand-written (tfjs `customGrad`) with g = ∂L/∂y:
 *
 *     ∂L/∂x = g·Wᵀ      ∂L/∂W = xᵀ·g      ∂L/∂b = Σ_batch g
 *
 * On wasm every product is a plain matMul of explicitly transposed operands (its transposed matMul — what tfjs's
 * own matMul gradient uses — runs about 10× slower); cpu and WebGL keep tfjs's transpose flags, free there.
 * `options.inputGradient: false` skips ∂L/∂x when x is data (see {@link DenseOptions}).
 * Throws a `ShapeError` naming `dense` when the shapes do not fit.
 *
 * @example
 * const y = dense(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4])); // every entry 3
 * const [xBatch, w1, b1] = [tf.randomUniform([8, 784]), tf.randomNormal([784, 400]), tf.zeros([400])];
 * const h = dense(xBatch, w1, b1, { inputGradient: false });        // first layer: no ∂L/∂x
 */
export const dense = op({ dense_ });
export type { DenseOptions } from './dense-grad.js';
