import {
  customGrad,
  engine,
  type GradSaveFunc,
  type KernelFunc,
  reshape,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { ensureKernel } from './fast-path.js';
import { flatProgram, rowSumProgram, runProgram } from './program.js';

const NLL = 'LatentlabBernoulliNll';
const NLL_GRAD = 'LatentlabBernoulliNllGrad';

/** Per row b of x, logits [batch, d]: Σ_i max(l, 0) − l·x + log(1 + exp(−|l|)) → [batch]. One invocation per row. */
const nllKernel: KernelFunc = ({ inputs, backend }) => {
  const { x, logits } = inputs as { x: TensorInfo; logits: TensorInfo };
  const [batch, d] = logits.shape as [number, number];
  const program = rowSumProgram(
    'bernoulli_nll',
    ['X', 'L'],
    batch,
    'let l = f32(L[i]); return max(l, 0.0) - l * f32(X[i]) + log(1.0 + exp(-abs(l)));',
  );
  return runProgram(backend, program, [x, logits], 'float32', [{ type: 'int32', data: [d] }]);
};

/** ∂/∂l of the per-row NLL times dy: (σ(l) − x) · dy[row] → [batch, d]. One invocation per element. */
const nllGradKernel: KernelFunc = ({ inputs, backend }) => {
  const { x, logits, dy } = inputs as { x: TensorInfo; logits: TensorInfo; dy: TensorInfo };
  const d = logits.shape[1]!;
  const program = flatProgram(
    'bernoulli_nll_grad',
    ['X', 'L', 'DY'],
    [...logits.shape],
    `let l = f32(L[index]);
     setOutputAtIndex(index, (1.0 / (1.0 + exp(-l)) - f32(X[index])) * f32(DY[index / uniforms.d]));`,
    { uniforms: 'd : i32,' },
  );
  return runProgram(backend, program, [x, logits, dy], 'float32', [{ type: 'int32', data: [d] }]);
};

function register(): void {
  ensureKernel({ kernelName: NLL, kernelFunc: nllKernel });
  ensureKernel({ kernelName: NLL_GRAD, kernelFunc: nllGradKernel });
}

/**
 * The Bernoulli negative log-likelihood per example on WebGPU, in one dispatch forward and one backward
 * (core's `bernoulliNll` formula; docs/math.md §4):
 *
 *     −log p(x|z) = Σ_i [ max(l_i, 0) − l_i·x_i + log(1 + exp(−|l_i|)) ]      ∂/∂l_i = σ(l_i) − x_i
 *
 * x: float32, logits: `[batch, ...features]` (same shape, checked by the caller) → `[batch]`. The feature axes are
 * flattened (a free reshape). No gradient flows to x. Only for the `webgpu` backend (kernels registered on first use).
 *
 * @example
 * const x = tf.tensor2d([[0, 1, 1], [1, 0, 0]]);
 * const logits = tf.tensor2d([[-2, 0, 3], [1, 1, -1]]);
 * const nll = bernoulliNllWebGpu(x, logits); // [2], as core's bernoulliNll(x, logits)
 */
export function bernoulliNllWebGpu(x: Tensor, logits: Tensor): Tensor1D {
  register();
  const batch = logits.shape[0]!;
  const d = logits.size / batch;
  const x2 = reshape(x, [batch, d]) as Tensor2D; // [batch, d]
  const nll = customGrad((l: Tensor | GradSaveFunc, save: Tensor | GradSaveFunc) => {
    const l2 = reshape(l as Tensor, [batch, d]) as Tensor2D;
    const value = engine().runKernel(NLL, { x: x2, logits: l2 }) as Tensor1D; // [batch]
    (save as GradSaveFunc)([l2, x2]);
    const gradFunc = (dy: Tensor1D, [ls, xs]: Tensor[]) => {
      const g = engine().runKernel(NLL_GRAD, { x: xs as Tensor, logits: ls as Tensor, dy }) as Tensor2D; // [batch, d]
      return reshape(g, logits.shape);
    };
    return { value, gradFunc };
  });
  return nll(logits);
}
