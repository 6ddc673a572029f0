// The library's read-backs on webgpu. tfjs-backend-webgpu 4.22's `dataSync()` returns zeros in headless Chromium for
// a tensor computed on the GPU (and loses the device for what follows), so every read the library does must be
// `await data()`. Each input here is computed on the GPU (`onGpu`), which a synchronous read would see as zeros; the
// expected values come from the same numbers given as JavaScript arrays (no read at all) or from a formula.
import { ValueError } from '@latentlab/core';
import { assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder.js';
import { pcaMetrics } from './evaluation/evaluate.js';
import { FusedAdam } from './ops/fused-adam.js';
import { Pca } from './pca/pca.js';
import { evaluateModel } from './training/evaluate-model.js';
import { interpolateLatents, Vae } from './vae.js';

/**
 * `values` as a tensor the GPU computed, so its values are not in CPU memory (a synchronous read of it gives zeros):
 * a matMul by [[1]] (element-wise ops on small tensors run on the CPU in tfjs-webgpu, matMul does not).
 */
const onGpu = (values: Float32Array, shape: number[]) =>
  tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(values, [values.length, 1]), tf.ones([1, 1])), shape));

/** n rows of d uniform values, the second half of the columns scaled by 0.1 (so the spectrum is not flat). */
function matrix(n: number, d: number, seed: number): Float32Array {
  const u = seededUniforms(n * d, seed);
  return Float32Array.from(u, (v, i) => (i % d < d / 2 ? v : 0.1 * v));
}

describe('read-backs on webgpu', () => {
  it('PCA fits a rank-3 tensor (JavaScript kernel) as it fits the same numbers as an array', async () => {
    const [n, h, w] = [40, 2, 3];
    const values = matrix(n, h * w, 1);
    const x = onGpu(values, [n, h, w]);
    const fromTensor = await new Pca({ nComponents: 2 }).fit(x, { kernel: 'javascript' });
    const fromArray = await new Pca({ nComponents: 2 }).fit(
      { data: values, shape: [n, h * w] },
      { kernel: 'javascript' },
    );
    expect(fromTensor.totalVariance).toBeGreaterThan(0);
    expect(fromTensor.totalVariance).toBeCloseTo(fromArray.totalVariance, 6);
    for (let j = 0; j < 2; j++) expect(fromTensor.explainedVariance[j]).toBeCloseTo(fromArray.explainedVariance[j]!, 6);
    x.dispose();
    fromTensor.dispose();
    fromArray.dispose();
  });

  it("pcaMetrics' reconstruction MSE is (n − 1)·(dropped variance)/(n·d) for a GPU-computed tensor", async () => {
    const [n, d] = [50, 4];
    const x = onGpu(matrix(n, d, 2), [n, d]);
    const pca = await new Pca({ nComponents: 2 }).fit(x);
    const m = await assertNoLeaks(() => pcaMetrics(pca, x));
    const kept = Array.from(pca.explainedVariance).reduce((a, b) => a + b, 0);
    // The residual of projecting onto the top 2 components sums the other eigenvalues times n − 1 (the variance's
    // denominator); pcaMetrics averages it over all n·d entries.
    const expected = ((n - 1) * (pca.totalVariance - kept)) / (n * d);
    expect(expected).toBeGreaterThan(1e-4);
    expect(m.reconstructionMse!).toBeCloseTo(expected, 4);
    x.dispose();
    pca.dispose();
  });

  it('evaluateModel on a GPU-computed tensor equals it on the same numbers as an array', async () => {
    const [n, d] = [24, 6];
    const values = matrix(n, d, 3);
    const ae = new Autoencoder({ inputShape: [d], latentDim: 2, hiddenUnits: [5], seed: 4 });
    const x = onGpu(values, [n, d]);
    const fromTensor = await evaluateModel(ae, x, { batchSize: 8 });
    const fromArray = await evaluateModel(ae, { x: values, shape: [n, d] }, { batchSize: 8 });
    expect(fromTensor.loss).toBeGreaterThan(0);
    expect(fromTensor.loss).toBeCloseTo(fromArray.loss, 5);
    x.dispose();
    ae.dispose();
  });

  it('interpolateLatents reads GPU-computed ends: the linear path is (1 − t)·a + t·b', async () => {
    const a = onGpu(Float32Array.of(1, -2, 0.5), [3]);
    const b = onGpu(Float32Array.of(-1, 4, 2.5), [1, 3]);
    const path = await interpolateLatents(a, b, 3, 'linear');
    expect(Array.from(await path.data())).toEqual([1, -2, 0.5, 0, 1, 1.5, -1, 4, 2.5]);
    tf.dispose([a, b, path]);
  });

  it('a learned decoder variance is read back: c = exp(log c) after log c is set on the GPU', async () => {
    const vae = new Vae({
      inputShape: [4],
      latentDim: 2,
      hiddenUnits: [3],
      decoder: 'gaussian',
      decoderVariance: 'learned',
    });
    expect(await vae.decoderVariance()).toBe(1);
    const weights = vae.getWeights();
    weights['decoder/logC']!.dispose();
    weights['decoder/logC'] = onGpu(Float32Array.of(Math.log(0.25)), []);
    vae.setWeights(weights);
    expect(await vae.decoderVariance()).toBeCloseTo(0.25, 6);
    tf.dispose(Object.values(weights));
    vae.dispose();
  });

  it("FusedAdam's update 'js' (a synchronous read) is refused on webgpu before it reads", () => {
    const w = tf.variable(tf.zeros([3]), true, 'async-reads/w');
    const g = tf.ones([3]);
    const adam = new FusedAdam({ update: 'js' });
    expect(() => adam.applyGradients({ [w.name]: g })).toThrow(ValueError);
    expect(() => adam.applyGradients({ [w.name]: g })).toThrow(/webgpu/);
    tf.dispose([w, g]);
    adam.dispose();
  });
});
