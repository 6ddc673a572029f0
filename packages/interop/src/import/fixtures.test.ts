// The importers against outputs computed by real PyTorch / scikit-learn (packages/torch/scripts/make_fixtures.py
// writes packages/interop/fixtures/<case>/), on every backend: μ, log σ², decoder logits within 1e-5.
import { Autoencoder, Pca, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tensorToFloat64 } from '../safetensors/read.js';
import { decoderOutput, fixture, maxAbsDiff } from '../testing/fixtures.js';
import { detectLayout, importSafetensors } from './import-safetensors.js';

const TOL = 1e-5;

async function load(name: string) {
  const [model, inputs, outputs] = await Promise.all(
    ['model', 'inputs', 'outputs'].map((f) => fixture(`${name}/${f}.safetensors`)),
  );
  const t = (file: typeof inputs, key: string) => {
    const v = file!.tensors.get(key);
    if (!v) throw new Error(`${name}: no tensor ${key}`);
    return tf.tensor2d(v.values, v.shape as [number, number]);
  };
  return { model: model!, x: t(inputs!, 'x'), z: t(inputs!, 'z'), out: (k: string) => outputs!.tensors.get(k)!.values };
}

/** Runs `check` and asserts it leaves no tensor behind (the fixture's x and z are disposed here). */
async function noLeaks(check: () => Promise<void>) {
  const before = tf.memory().numTensors;
  await check();
  expect(tf.memory().numTensors).toBe(before);
}

const sigmoid = (v: Float32Array) => Float64Array.from(v, (l) => 1 / (1 + Math.exp(-l)));

describe.each([
  ['pytorch-examples-vae', 'pytorch-examples-vae', 784, 20],
  ['pythae-vae', 'pythae-vae', 64, 4],
  ['latentlab-mlp-vae', 'latentlab', 64, 4],
])('VAE fixture %s', (name, layout, d, latent) => {
  it('detects the layout, and μ, log σ², decoder output equal PyTorch within 1e-5', async () => {
    await noLeaks(async () => {
      const { model: file, x, z, out } = await load(name);
      expect(detectLayout(file)).toBe(layout);
      const vae = importSafetensors(file) as Vae;
      try {
        expect(vae).toBeInstanceOf(Vae);
        expect([vae.inputSize, vae.latentDim]).toEqual([d, latent]);
        const { mu, logVar } = vae.posterior(x);
        expect(maxAbsDiff(mu.dataSync(), out('mu'))).toBeLessThan(TOL);
        expect(maxAbsDiff(logVar.dataSync(), out('log_var'))).toBeLessThan(TOL);
        const gaussian = vae.config.decoder === 'gaussian';
        const f = decoderOutput(vae, mu);
        const fz = decoderOutput(vae, z);
        const mean = vae.decode(mu);
        expect(maxAbsDiff(f.dataSync(), out(gaussian ? 'mean' : 'logits'))).toBeLessThan(TOL);
        expect(maxAbsDiff(fz.dataSync(), out(gaussian ? 'mean_z' : 'logits_z'))).toBeLessThan(TOL);
        // decode(μ) is the mean of p(x|z): sigmoid(logits) (pythae's reconstruction), or f(z) itself.
        const expected = gaussian ? out('mean') : sigmoid(out('logits'));
        expect(maxAbsDiff(mean.dataSync(), expected)).toBeLessThan(TOL);
        if (gaussian) expect(Math.log((await vae.decoderVariance())!)).toBeCloseTo(-1.5, 6);
        tf.dispose([mu, logVar, f, fz, mean]);
      } finally {
        vae.dispose();
        tf.dispose([x, z]);
      }
    });
  });
});

describe.each([
  ['pythae-ae', 'pythae-ae', 64, 4],
  ['latentlab-mlp-ae', 'latentlab', 784, 4],
])('autoencoder fixture %s', (name, layout, d, latent) => {
  it('detects the layout, and the code and decoder logits equal PyTorch within 1e-5', async () => {
    await noLeaks(async () => {
      const { model: file, x, z, out } = await load(name);
      expect(detectLayout(file)).toBe(layout);
      const ae = importSafetensors(file) as Autoencoder;
      try {
        expect(ae).toBeInstanceOf(Autoencoder);
        expect([ae.inputSize, ae.latentDim, ae.config.reconstruction]).toEqual([d, latent, 'bernoulli']);
        const code = ae.encode(x);
        expect(maxAbsDiff(code.dataSync(), out('z'))).toBeLessThan(TOL);
        const logits = decoderOutput(ae, code);
        const logitsZ = decoderOutput(ae, z);
        const reconstruction = ae.decode(code);
        expect(maxAbsDiff(logits.dataSync(), out('logits'))).toBeLessThan(TOL);
        expect(maxAbsDiff(logitsZ.dataSync(), out('logits_z'))).toBeLessThan(TOL);
        expect(maxAbsDiff(reconstruction.dataSync(), sigmoid(out('logits')))).toBeLessThan(TOL);
        tf.dispose([code, logits, logitsZ, reconstruction]);
      } finally {
        ae.dispose();
        tf.dispose([x, z]);
      }
    });
  });
});

describe('scikit-learn PCA fixture', () => {
  it('imports through Pca.fromParameters with float64 parameters; codes equal scikit-learn within 1e-5', async () => {
    const [file, inputs, outputs] = await Promise.all(
      ['model', 'inputs', 'outputs'].map((f) => fixture(`sklearn-pca/${f}.safetensors`)),
    );
    expect(detectLayout(file!)).toBe('pca');
    const pca = importSafetensors(file!) as Pca;
    const before = tf.memory().numTensors;
    try {
      expect(pca).toBeInstanceOf(Pca);
      expect(pca.nComponents).toBe(5);
      expect(pca.explainedVariance).toEqual(tensorToFloat64(file!.tensors.get('explained_variance')!));
      const x = inputs!.tensors.get('x')!;
      const z = tf.tidy(() => pca.encode(tf.tensor2d(x.values, x.shape as [number, number])));
      const got = z.dataSync();
      z.dispose();
      // Pca.fromParameters turns each component to Latentlab's sign convention (largest |loading| positive),
      // scikit-learn's svd_flip may not: code j is scikit-learn's times s_j = sign of that loading in its file.
      const components = tensorToFloat64(file!.tensors.get('components')!);
      const d = 64;
      const k = 5;
      const signs = Array.from({ length: k }, (_, j) => {
        const row = components.subarray(j * d, (j + 1) * d);
        const largest = row.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
        return Math.sign(largest);
      });
      const ref = Float64Array.from(tensorToFloat64(outputs!.tensors.get('z_f64')!), (v, i) => v * signs[i % k]!);
      // float32 arithmetic on codes of scale ~ 30: 1e-5 relative to the largest |code|.
      const scale = Math.max(...Array.from(ref, Math.abs));
      expect(maxAbsDiff(got, ref) / scale).toBeLessThan(TOL);
    } finally {
      pca.dispose();
    }
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
