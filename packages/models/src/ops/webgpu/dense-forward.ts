import { _FusedMatMul, engine, reshape, type Tensor, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';

/**
 * y = act(x·W + b) on WebGPU as one dispatch: tfjs-backend-webgpu's fused matMul kernel with the bias and the
 * activation in its epilogue, called as a kernel. (tfjs's `fused.matMul` op falls back to three kernels, matMul,
 * add and relu, whenever gradients are being recorded and the activation is not linear; here the backward pass is
 * `dense-grad.ts`'s own, so the fused kernel is safe to use while training.)
 *
 * x: `[batch, in]`, w: `[in, out]`, b: `[out]` (checked by the caller) → `[batch, out]`.
 *
 * @example
 * const [x, w1, b1] = [tf.tensor2d([[1, -2]]), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([0, 1])];
 * const h = denseForwardWebGpu(x, w1, b1, 'relu'); // [[1, 0]], as tf.relu(tf.add(tf.matMul(x, w1), b1))
 */
export function denseForwardWebGpu(x: Tensor2D, w: Tensor2D, b: Tensor1D, activation: 'linear' | 'relu'): Tensor2D {
  const attrs = { transposeA: false, transposeB: false, activation };
  // The kernel multiplies batches of matrices, as tfjs's op hands them over: [1, batch, in]·[1, in, out] (free reshapes).
  const a = reshape(x, [1, ...x.shape]);
  const y = engine().runKernel(_FusedMatMul, { a, b: reshape(w, [1, ...w.shape]), bias: b }, attrs) as Tensor;
  return reshape(y, [x.shape[0], w.shape[1]]);
}
