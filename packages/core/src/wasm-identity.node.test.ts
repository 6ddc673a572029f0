import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './use-backend.js';
import { shareWasmIdentity } from './wasm-identity.js';

// On the wasm backend as the runtime makes it active (useBackend → shareWasmIdentity), in every Node project; the
// project's backend is put back afterwards.
let previous: string;
beforeAll(async () => {
  previous = tf.getBackend();
  await useBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend(previous);
});

/** Live data buffers of the active backend (tfjs-backend-wasm's own count). */
const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('shareWasmIdentity (clones by reference on wasm)', () => {
  it('makes tf.clone share the data: one buffer, values kept after the original is gone, nothing left', async () => {
    const count = () => [tf.memory().numTensors, tf.memory().numDataBuffers, buffers()];
    const [tensors, dataBuffers, live] = count();
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    // Two tensors, one buffer (tfjs's own kernel made two), in the engine's books and in the backend's.
    expect(count()).toEqual([tensors! + 2, dataBuffers! + 1, live! + 1]);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
    expect(count()).toEqual([tensors, dataBuffers, live]);
  });

  it('keeps gradients right where a customGrad saves its input (a clone) for the backward pass', () => {
    const before = tf.memory().numTensors;
    // f(x) = Σ x³, ∂f/∂x = 3x², computed from the saved x.
    const cube = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor]);
      return {
        value: tf.sum(tf.pow(x as tf.Tensor, 3)),
        gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) => tf.mul(dy, tf.mul(3, tf.square(xs!))),
      };
    });
    const x = tf.tensor([1, -2, 0.5]);
    const g = tf.grad((t: tf.Tensor) => cube(t) as tf.Tensor)(x);
    expect(Array.from(g.dataSync())).toEqual([3, 12, 0.75]);
    tf.dispose([x, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("is done once, whatever the calls; leaves other backends' Identity alone", () => {
    const shared = tf.getKernel('Identity', 'wasm')!.kernelFunc;
    shareWasmIdentity();
    shareWasmIdentity();
    expect(tf.getKernel('Identity', 'wasm')!.kernelFunc).toBe(shared);
    const cpu = tf.getKernel('Identity', 'cpu');
    if (cpu) expect(cpu.kernelFunc).not.toBe(shared);
  });
});
