/**
 * Reads a tensor's values asynchronously and disposes it, whatever happens. Every read in the workers goes this
 * way: on WebGPU a synchronous read goes through a canvas and, in a worker on SwiftShader, returns zeros for
 * tensors of 1 000 values or more (those not computed on the CPU).
 *
 * @example
 * const codes = await take(tidy(() => model.encode(x))); // a Float32Array copy; the tensor is gone
 */
import type { Tensor } from '@tensorflow/tfjs-core';

export async function take(t: Tensor): Promise<Float32Array> {
  try {
    return Float32Array.from((await t.data()) as Float32Array);
  } finally {
    t.dispose();
  }
}
