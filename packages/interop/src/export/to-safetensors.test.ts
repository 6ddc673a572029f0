// Latentlab → safetensors → Latentlab is bit-identical; the names and layouts are the contract's.
import { Autoencoder, Pca, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { importSafetensors } from '../import/import-safetensors.js';
import { readSafetensors, tensorToFloat64 } from '../safetensors/read.js';
import { modelToSafetensors, torchName } from './to-safetensors.js';

/** Every weight's float32 bits, by name. */
function bits(model: Vae | Autoencoder): Record<string, number[]> {
  const weights = model.getWeights();
  const out = Object.fromEntries(
    Object.entries(weights).map(([k, t]) => [
      k,
      Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer)),
    ]),
  );
  tf.dispose(Object.values(weights));
  return out;
}

describe('modelToSafetensors', () => {
  it('maps names as the contract says', () => {
    expect(torchName('encoder/0/w')).toBe('encoder.0.weight');
    expect(torchName('encoder/logVar/b')).toBe('encoder.log_var.bias');
    expect(torchName('encoder/z/w')).toBe('encoder.z.weight');
    expect(torchName('decoder/2/b')).toBe('decoder.2.bias');
    expect(torchName('decoder/logC')).toBe('decoder.log_c');
  });

  it.each([
    [
      'a Bernoulli VAE',
      () => new Vae({ inputShape: [12], latentDim: 3, hiddenUnits: [8, 5], activation: 'tanh', seed: 4 }),
    ],
    [
      'a learned-variance VAE',
      () =>
        new Vae({
          inputShape: [6],
          latentDim: 2,
          hiddenUnits: [4],
          decoder: 'gaussian',
          decoderVariance: 'learned',
          seed: 1,
        }),
    ],
    [
      'an MLP autoencoder',
      () => new Autoencoder({ inputShape: [10], latentDim: 2, hiddenUnits: [7], reconstruction: 'bernoulli', seed: 2 }),
    ],
    ['a linear autoencoder', () => new Autoencoder({ inputShape: [9], latentDim: 3, architecture: 'linear', seed: 3 })],
  ])('round-trips %s bit for bit, weights transposed to [out, in]', async (_, make) => {
    const before = tf.memory().numTensors;
    const model = make();
    const { safetensors, config } = await modelToSafetensors(model);
    const file = readSafetensors(safetensors);
    expect(file.metadata?.format).toBe('pt');
    expect(JSON.parse(file.metadata!.latentlab!)).toEqual(config);
    expect(config.config).toEqual(JSON.parse(JSON.stringify(model.config)));
    expect([...file.tensors.keys()].sort()).toEqual(model.weightNames.map(torchName).sort());
    const weights = model.getWeights();
    const first = model.weightNames[0]!; // encoder/0/w, or encoder/z/w for a linear model
    const w = weights[first]!.arraySync() as number[][];
    const t0 = file.tensors.get(torchName(first))!;
    expect(t0.shape).toEqual([w[0]!.length, w.length]);
    expect(t0.values[1]).toBe(w[1]![0]); // row 0 of [out, in] = column 0 of [in, out]
    tf.dispose(Object.values(weights));
    const copy = importSafetensors(file);
    expect(copy.constructor).toBe(model.constructor);
    expect((copy as Vae).config).toEqual(model.config);
    expect(bits(copy as Vae)).toEqual(bits(model));
    copy.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips a PCA exactly in float64 (F64 tensors)', async () => {
    // Parameters with float64-only digits (0.1, 1/3, …): orthonormal rows (rotations by θ = 0.3 in two planes).
    const [c, s] = [Math.cos(0.3), Math.sin(0.3)];
    const pca = Pca.fromParameters({
      mean: [0.1, 1 / 3, -2.7, 1e-9],
      components: [c, s, 0, 0, -s, c, 0, 0, 0, 0, c, s],
      explainedVariance: [2 / 3, 0.2, 0.1],
      totalVariance: 1.05,
      n: 40,
    });
    const { safetensors, config } = await modelToSafetensors(pca);
    const file = readSafetensors(safetensors);
    expect(file.tensors.get('components')).toMatchObject({ dtype: 'F64', shape: [3, 4] });
    expect(config.pca).toEqual({ n: 40, d: 4, k: 3, totalVariance: 1.05 });
    expect(tensorToFloat64(file.tensors.get('explained_variance')!)).toEqual(pca.explainedVariance);
    const copy = importSafetensors(file) as Pca;
    expect(copy.explainedVariance).toEqual(pca.explainedVariance);
    expect(copy.totalVariance).toBe(pca.totalVariance);
    const a = await modelToSafetensors(copy);
    expect(a.safetensors).toEqual(safetensors); // the same bytes: every float64 parameter kept
    pca.dispose();
    copy.dispose();
  });

  it('exports a PCA fitted on this backend and imports it with the same codes', async () => {
    const data = Float32Array.from({ length: 40 * 6 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 6)));
    const x = { data, shape: [40, 6] as [number, number] };
    const pca = await new Pca({ nComponents: 3 }).fit(x);
    const copy = importSafetensors(readSafetensors((await modelToSafetensors(pca)).safetensors)) as Pca;
    const [a, b] = [pca.encode(x), copy.encode(x)];
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([a, b]);
    pca.dispose();
    copy.dispose();
  });
});
