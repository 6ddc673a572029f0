// The Job trains on the training part of the data and evaluates the held-out part at epoch ends, on the cpu backend;
// on wasm, it steps the library's SIMD Adam.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { memory, profile, setBackend, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../protocol.js';
import { loadData } from './datasets.js';
import { Job } from './job.js';

beforeAll(async () => {
  expect(await setBackend('cpu')).toBe(true);
});

const hooks = { onStep: () => undefined, onSwitched: async () => undefined };

describe('Job and the held-out rows', () => {
  it('trains on the training rows only and reports the held-out loss of each epoch end, without leaking tensors', async () => {
    const data = await loadData('two-moons'); // 3000 rows: 2400 to train on, 600 held out
    expect([data.train?.n, data.nTest]).toEqual([2400, 600]);
    const settings = { ...DEFAULT_SETTINGS, model: 'deep-ae' as const, epochs: 2, batchSize: 256 };
    const job = new Job(settings, data);
    const seen: number[] = [];
    const before = memory().numTensors;
    await job.run({
      ...hooks,
      onStep: () => {
        seen.push(job.test?.epoch ?? 0);
      },
    });
    // Steps from the training rows: ⌈2400/256⌉ = 10 per epoch.
    expect(job.stepsPerEpoch).toBe(Math.ceil(2400 / 256));
    expect(job.step).toBe(2 * job.stepsPerEpoch);
    // Evaluated at epoch ends only: none during epoch 1, epoch 1's during epoch 2, epoch 2's at the end.
    const k = job.stepsPerEpoch;
    expect(seen).toEqual([...Array<number>(k).fill(0), ...Array<number>(k).fill(1)]);
    expect(job.test?.epoch).toBe(2);
    // The autoencoder is deterministic: the epoch-end value is its 'mse' loss over the 600 held-out rows,
    // (1/n) Σ_b (1/d) ‖x_b − x̂_b‖², computed here in float64 from decode(encode(x)).
    const model = job.model as Exclude<Job['model'], import('@latentlab/models').Pca>;
    const xHat = tidy(() => model.decode(model.encode(tensor2d(data.test.x as Float32Array, [600, 2]))).dataSync());
    let se = 0;
    for (let i = 0; i < 1200; i++) se += (data.test.x[i]! - xHat[i]!) ** 2;
    expect(job.test!.loss).toBeCloseTo(se / (600 * 2), 4);
    // The library's Adam on cpu updates in JavaScript and keeps its moments as arrays: the run adds no tensors.
    expect(memory().numTensors).toBe(before);
    const afterRun = memory().numTensors;
    await job.evaluateTest();
    expect(memory().numTensors).toBe(afterRun);
    job.dispose();
  });

  it("steps Adam with one SIMD kernel per variable on wasm (the page's default backend), leaving 2 moments per variable", async () => {
    expect(await setBackend('wasm')).toBe(true);
    try {
      const data = await loadData('two-moons');
      const settings = { ...DEFAULT_SETTINGS, model: 'vae' as const, epochs: 1, batchSize: 256 };
      const start = memory().numTensors;
      const job = new Job(settings, data);
      const before = memory().numTensors;
      const info = await profile(() => job.run(hooks));
      const kernels = info.kernels.map((k) => k.name);
      const variables = (job.model as Exclude<Job['model'], import('@latentlab/models').Pca>).trainableVariables.length;
      // One LatentlabAdamWasm per variable and step, and none of the 12 element-wise kernels' square root.
      expect(kernels.filter((k) => k === 'LatentlabAdamWasm')).toHaveLength(variables * job.step);
      expect(kernels).not.toContain('Sqrt');
      expect(memory().numTensors - before).toBe(2 * variables);
      job.dispose();
      expect(memory().numTensors).toBe(start);
    } finally {
      expect(await setBackend('cpu')).toBe(true);
    }
  });

  it("a fitted PCA's test MSE is the mean squared error per feature over the held-out rows", async () => {
    const data = await loadData('blobs'); // 10 features, 600 held-out rows
    const job = new Job({ ...DEFAULT_SETTINGS, model: 'pca', latentDim: 3 }, data);
    await job.run(hooks);
    const model = job.model;
    const rows = data.nTest;
    const xHat = tidy(() =>
      model.decode(model.encode(tensor2d(data.test.x as Float32Array, [rows, data.d]))).dataSync(),
    );
    let se = 0;
    for (let i = 0; i < rows * data.d; i++) se += (data.test.x[i]! - xHat[i]!) ** 2;
    expect(job.test!.loss).toBeCloseTo(se / (rows * data.d), 4);
    job.dispose();
  });
});
