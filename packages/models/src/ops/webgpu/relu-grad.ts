import { engine, type KernelFunc, type Tensor2D, type TensorInfo } from '@tensorflow/tfjs-core';
import { ensureKernel } from './fast-path.js';
import { flatProgram, runProgram } from './program.js';

const RELU_GRAD = 'LatentlabReluGrad';

/** g = dy ⊙ 1[y > 0], one invocation per element. */
const reluGradKernel: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const program = flatProgram(
    'relu_grad',
    ['DY', 'Y'],
    [...dy.shape],
    'setOutputAtIndex(index, select(0.0, f32(DY[index]), f32(Y[index]) > 0.0));',
  );
  return runProgram(backend, program, [dy, y], 'float32');
};

/**
 * The gradient through y = relu(u) from the output y on WebGPU, in one dispatch instead of tfjs's two (step, mul):
 *
 *     ∂L/∂u = dy ⊙ 1[y > 0]      (relu(u) > 0 ⇔ u > 0; relu'(0) = 0, as in tfjs)
 *
 * dy, y: `[batch, features]` (same shape, from `dense-grad.ts`'s backward pass) → `[batch, features]`. With
 * tfjs's fused matMul (bias and ReLU in its epilogue) for the forward pass, a dense ReLU layer costs one dispatch
 * forward and four backward (this one, xᵀ·g, Σ_batch g, g·Wᵀ). Only for the `webgpu` backend.
 *
 * @example
 * const [dy, y] = [tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[0.5, 0, 2]])]; // y = relu(u)
 * const g = reluGradWebGpu(dy, y); // [[1, 0, 3]], as tf.mul(dy, tf.step(y))
 */
export function reluGradWebGpu(dy: Tensor2D, y: Tensor2D): Tensor2D {
  ensureKernel({ kernelName: RELU_GRAD, kernelFunc: reluGradKernel });
  return engine().runKernel(RELU_GRAD, { dy, y }) as Tensor2D;
}
