// tfjs-backend-wasm's Identity kernel copies its input into a new buffer; the cpu and webgl backends' Identity shares
// it (one more reference to the same data, as Reshape does on wasm too). Identity is what `tf.clone` runs, and
// tfjs-core clones every tensor a gradient saves for the backward pass (`customGrad`'s `save`, a registered
// gradient's inputs and outputs): 41 copies per training step of the pytorch/examples VAE on wasm, all of them
// thrown away after the step. Tensors are immutable in tfjs (a variable's `assign` replaces its data, it never
// writes into it), so a shared clone holds the same values for its whole life, as it does on cpu and webgl.
import {
  getKernel,
  Identity,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's backend that reference-counts its data (its Reshape uses the same call). */
interface RefCounting {
  incRef(dataId: object): void;
}

/** Identity by reference: the input's data with one more reference, as tfjs-backend-cpu's Identity. */
const sharedIdentity: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x!;
  (backend as unknown as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Makes `Identity` (hence `tf.clone` and the tensors gradients save) share its input's data on the wasm backend
 * instead of copying it; a no-op when the wasm backend's kernels are not registered or this is already done.
 * Measured on the reference VAE's training step (2 cores, one thread): ≈ 4 % less time per step, the same losses
 * bit for bit (packages/cli/BENCHMARKS.md).
 *
 * `useBackend`, `selectBackend` and `switchBackend` call it; call it yourself after `tf.setBackend('wasm')`.
 *
 * @example
 * await tf.setBackend('wasm'); // tfjs's own call: Identity still copies
 * shareWasmIdentity();
 * const x = tf.tensor([1, 2, 3]);
 * const y = tf.clone(x); // the same data as x, one more reference (was: a copy)
 * x.dispose(); // y keeps its values
 * y.dispose();
 */
export function shareWasmIdentity(): void {
  const current = getKernel(Identity, 'wasm');
  if (current == null || current.kernelFunc === sharedIdentity) return;
  const config: KernelConfig = { ...current, kernelFunc: sharedIdentity };
  unregisterKernel(Identity, 'wasm');
  registerKernel(config);
}
