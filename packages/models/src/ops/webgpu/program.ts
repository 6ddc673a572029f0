import type { WebGpuProgram } from './backend.js';

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
 * const p = flatProgram('double', ['X'], [4], 'setOutputAtIndex(index, 2.0 * X[index]);');
 * backend.runWebGPUProgram(p, [x], 'float32');
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
