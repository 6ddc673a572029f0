import { add, matMul, op, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';

/**
 * A fully connected layer's affine map, y = x·W + b.
 *
 * x: [batch, inFeatures], w: [inFeatures, outFeatures], b: [outFeatures] → y: [batch, outFeatures].
 *
 * @example
 * const y = dense(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4])); // every entry 3
 */
function dense_(x: Tensor2D, w: Tensor2D, b: Tensor1D): Tensor2D {
  return add(matMul(x, w), b);
}

export const dense = op({ dense_ });
