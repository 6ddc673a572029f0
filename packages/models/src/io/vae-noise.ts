import { type Tensor2D, tidy, zeros } from '@tensorflow/tfjs-core';
import type { Vae } from '../vae.js';

/**
 * Advances a freshly built VAE's training and evaluation noise streams past `trainRows` and `evalRows` rows
 * of ε (what `train` drew before the checkpoint), by pushing zero rows through `loss` in chunks: the streams
 * are the model's private RNGs, and ε for n rows in one call equals ε for the same rows in several calls.
 * Costs one forward pass per row drawn (like evaluating the data once per epoch).
 *
 * @example
 * const fresh = new Vae({ latentDim: 2 });
 * const state = { trainRows: 128, evalRows: 32 }; // a checkpoint's TrainState: rows trained and evaluated so far
 * advanceVaeNoise(fresh, state.trainRows, state.evalRows); // fresh now draws the ε a resumed run would
 */
export function advanceVaeNoise(model: Vae, trainRows: number, evalRows: number, chunk = 2048): void {
  for (const [rows, training] of [
    [trainRows, true],
    [evalRows, false],
  ] as const) {
    for (let done = 0; done < rows; done += chunk) {
      const b = Math.min(chunk, rows - done);
      tidy(() => {
        model.loss(zeros([b, model.inputSize]) as Tensor2D, { step: 0, training });
      });
    }
  }
}
