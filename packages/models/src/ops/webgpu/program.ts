import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGpuBackend, WebGpuProgram } from './backend.js';

/** Threads per workgroup of every program in this folder (tfjs-backend-webgpu's default for element-wise kernels). */
export const WORKGROUP = 64;

/**
 * A tfjs-backend-webgpu program with a flat dispatch: one invocation per output element, `main(index)` with
 * `index` < `uniforms.size` (the output's size), the inputs bound as arrays under `variableNames` and the
 * output written with `setOutputAtIndex(index, value)`. Read inputs as `f32(A[i])`: the backend binds a tensor with
 * the element type of its buffer, which is i32 for a float32 tensor cast from bool or int32 (tfjs shares the data). `key` names the shader in the backend's pipeline cache: it
 * must change whenever `body` does.
 *
 * @example
 * const [backend, x] = [tf.backend(), tf.tensor1d([1, 2, 3, 4])]; // the webgpu backend
 * const p = flatProgram('double', ['X'], [4], 'setOutputAtIndex(index, 2.0 * X[index]);');
 * const y = backend.runWebGPUProgram(p, [x], 'float32'); // a TensorInfo [4]: [2, 4, 6, 8]
 * backend.disposeData(y.dataId);
 */
export function flatProgram(
  key: string,
  variableNames: string[],
  outputShape: number[],
  body: string,
  options: { uniforms?: string; helpers?: string } = {},
): WebGpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  const program: WebGpuProgram = {
    outputShape,
    shaderKey: `latentlab_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      ${options.helpers ?? ''}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
  if (options.uniforms) program.uniforms = options.uniforms;
  return program;
}

/**
 * A program with one invocation per row of `[rows, d]` inputs (`d` the first uniform, passed to {@link runProgram}
 * as `[{ type: 'int32', data: [d] }]`): out[row] = Σ_j term(row·d + j), where `term` is the body of the WGSL
 * function `fn term(i : i32) -> f32`, reading the inputs at flat element `i`.
 *
 * @example
 * const [backend, x] = [tf.backend(), tf.tensor2d([[1, 2], [3, 4], [0, 1]])];
 * const [batch, d] = x.shape;
 * const p = rowSumProgram('row_sum_sq', ['X'], batch, 'let x = f32(X[i]); return x * x;');
 * const y = runProgram(backend, p, [x], 'float32', [{ type: 'int32', data: [d] }]); // Σ_j x[b, j]² → [5, 25, 1]
 * backend.disposeData(y.dataId);
 */
export function rowSumProgram(
  key: string,
  variableNames: string[],
  rows: number,
  term: string,
  helpers = '',
): WebGpuProgram {
  return flatProgram(
    key,
    variableNames,
    [rows],
    `var s = 0.0;
     let row = index * uniforms.d;
     for (var j = 0; j < uniforms.d; j++) {
       s = s + term(row + j);
     }
     setOutputAtIndex(index, s);`,
    { uniforms: 'd : i32,', helpers: `${helpers}\n      fn term(i : i32) -> f32 { ${term} }` },
  );
}

/** Runs a program on the backend a kernel function receives (typed `unknown` there: it is the WebGPU backend). */
export const runProgram = (backend: unknown, ...args: Parameters<WebGpuBackend['runWebGPUProgram']>): TensorInfo =>
  (backend as WebGpuBackend).runWebGPUProgram(...args);
