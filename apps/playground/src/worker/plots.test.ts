// The decoded prior samples on non-image data, on the cpu backend: a linear decoder (PCA) of z ~ N(0, I) gives
// a cloud, x = W z + μ, with as many directions from μ as samples (the issue saw 16 rays of 7 points each).
import '@tensorflow/tfjs-backend-cpu';
import { Pca } from '@latentlab/models';
import { memory, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadData } from './datasets.js';
import { priorSamples } from './plots.js';

describe('priorSamples', () => {
  it("PCA's decoded z ~ N(0, I) on two moons is a cloud, not rays from the mean", async () => {
    const data = await loadData('two-moons');
    const pca = new Pca({ nComponents: 2, whiten: true });
    const x = tensor2d(data.features, [data.n, data.d]);
    await pca.fit(x);
    x.dispose();
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
