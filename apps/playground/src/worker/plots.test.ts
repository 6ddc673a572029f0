// The decoded prior samples on non-image data, on the cpu backend: a linear decoder (PCA) of z ~ N(0, I) gives
// a cloud, x = W z + μ, with as many directions from μ as samples (the issue saw 16 rays of 7 points each).
import '@tensorflow/tfjs-backend-cpu';
import { Pca } from '@latentlab/models';
import { memory, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../protocol.js';
import { loadData } from './datasets.js';
import { Job } from './job.js';
import { plotsFor, priorSamples } from './plots.js';

describe('priorSamples', () => {
  it("PCA's decoded z ~ N(0, I) on two moons is a cloud, not rays from the mean", async () => {
    const data = await loadData('two-moons');
    const pca = new Pca({ nComponents: 2, whiten: true });
    const { dataset, n } = await data.training();
    await pca.fit({ data: dataset.x, shape: [n, data.d] });
    const before = memory().numTensors;
    const count = 200;
    const samples = await priorSamples(pca, 2, count); // [200, 2]
    const mu = tidy(() => pca.decode(tensor2d([[0, 0]])).dataSync()); // W·0 + μ
    const angles = new Set<string>();
    for (let i = 0; i < count; i++) {
      angles.add(Math.atan2(samples[2 * i + 1]! - mu[1]!, samples[2 * i]! - mu[0]!).toFixed(3));
    }
    expect(angles.size).toBeGreaterThan(0.95 * count);
    expect(memory().numTensors).toBe(before);
    pca.dispose();
  });
});

describe('plotsFor', () => {
  it('draws the held-out rows, never the training rows, and titles say so', async () => {
    const data = await loadData('two-moons'); // 2400 training rows, 600 held out
    const job = new Job({ ...DEFAULT_SETTINGS, model: 'pca', latentDim: 2 }, data);
    await job.run({ onStep: () => undefined, onSwitched: async () => undefined });
    const before = memory().numTensors;
    const plots = await plotsFor(job);
    expect(memory().numTensors).toBe(before);
    const points = plots.scatter!.marks.find((m) => m.type === 'points') as { x: Float32Array; y: Float32Array };
    // All 600 held-out rows (PLOT_POINTS = 1000 would take 1000 of the 2400 training rows).
    expect(points.x.length).toBe(data.nTest);
    expect(plots.scatter!.title).toBe(`PCA: ${data.nTest} held-out rows`);
    expect(plots.reconstructions!.title).toBe('PCA: held-out vs reconstruction');
    // The scatter's codes are the held-out rows' codes: the same affine map takes them to the pixels.
    const z = tidy(() => job.model.encode(tensor2d(data.test.x as Float32Array, [data.nTest, data.d])).dataSync());
    const { ax, bx } = plots.axes!;
    for (const i of [0, 123, data.nTest - 1]) expect(points.x[i]).toBeCloseTo(ax * z[2 * i]! + bx, 2);
    job.dispose();
  });
});
