import { getBackend, getKernel, type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';

let enabled = true;

/**
 * Whether the models' ops take their WebGPU fast path now: the backend is `webgpu` and the path is enabled
 * (it is by default; {@link setWebGpuFastPath} turns it off, to measure the plain ops against it).
 *
 * @example
 * const [x, logits] = [tf.tensor2d([[0, 1]]), tf.tensor2d([[-1, 2]])];
 * const nll = webgpuFastPath() ? bernoulliNllWebGpu(x, logits) : bernoulliNll(x, logits); // the kernel on webgpu
 */
export function webgpuFastPath(): boolean {
  return enabled && getBackend() === 'webgpu';
}

/**
 * Turns the WebGPU kernels of this folder on or off for the ops (and `createOptimizer`'s Adam) that would use
 * them; returns the previous setting. For benchmarks and tests that compare both paths on one backend.
 *
 * @example
 * const before = setWebGpuFastPath(false); // plain tfjs kernels
 * setWebGpuFastPath(before);
 */
export function setWebGpuFastPath(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/** Registers `config` for the webgpu backend unless a kernel of that name is already registered there. */
export function ensureKernel(config: Omit<KernelConfig, 'backendName'>): void {
  if (getKernel(config.kernelName, 'webgpu') == null) registerKernel({ ...config, backendName: 'webgpu' });
}
