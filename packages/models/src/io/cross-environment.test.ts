import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Vae } from '../vae.js';
import { NODE_SAVED_VAE } from './fixtures/node-saved-vae.js';
import { loadModel, saveModel } from './save-load.js';

const bytes = Uint8Array.from(atob(NODE_SAVED_VAE.weightDataBase64), (c) => c.charCodeAt(0));
const fixtureArtifacts = (): tf.io.ModelArtifacts => ({
  modelTopology: NODE_SAVED_VAE.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
  weightSpecs: NODE_SAVED_VAE.weightSpecs as unknown as tf.io.WeightsManifestEntry[],
  weightData: bytes.slice().buffer,
});

/** The fixture's float32 weights by name, read straight from the bytes. */
function fixtureWeights(): Record<string, { shape: number[]; values: Float32Array }> {
  const out: Record<string, { shape: number[]; values: Float32Array }> = {};
  let offset = 0;
  for (const spec of NODE_SAVED_VAE.weightSpecs) {
    const size = spec.shape.reduce((a: number, b: number) => a * b, 1);
    out[spec.name.replace(/^model\//, '')] = {
      shape: [...spec.shape],
      values: new Float32Array(bytes.slice(offset, offset + 4 * size).buffer),
    };
    offset += 4 * size;
  }
  return out;
}

/** y = act(x·W + b) in float64, x [rows, in], W [in, out]. */
function dense(
  x: number[][],
  w: { shape: number[]; values: Float32Array },
  b: Float32Array,
  act: (v: number) => number,
) {
  const [nIn, nOut] = w.shape as [number, number];
  return x.map((row) =>
    Array.from({ length: nOut }, (_, j) => {
      let s = b[j]!;
      for (let i = 0; i < nIn; i++) s += row[i]! * w.values[i * nOut + j]!;
      return act(s);
    }),
  );
}

const relu = (v: number) => Math.max(0, v);
const linear = (v: number) => v;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

let savedKey: string | null = null;
afterAll(async () => {
  if (savedKey) await tf.io.removeModel(savedKey);
});

describe('a checkpoint saved in Node', () => {
  it('loads here with the same weights (bit for bit) and decode(encode(x)) equal to a float64 forward pass', async () => {
    const { model } = await loadModel(tf.io.fromMemory(fixtureArtifacts()));
    const vae = model as Vae;
    const w = fixtureWeights();
    const loaded = vae.getWeights();
    for (const [name, t] of Object.entries(loaded)) {
      expect(new Uint8Array(new Float32Array(t.dataSync()).buffer)).toEqual(new Uint8Array(w[name]!.values.buffer));
    }
    tf.dispose(Object.values(loaded));
    const xs = [Array.from({ length: 8 }, (_, i) => (i % 3) / 2), Array.from({ length: 8 }, (_, i) => (i * 0.37) % 1)];
    const h = dense(xs, w['encoder/0/w']!, w['encoder/0/b']!.values, relu);
    const mu = dense(h, w['encoder/mu/w']!, w['encoder/mu/b']!.values, linear);
    const expected = dense(
      dense(mu, w['decoder/0/w']!, w['decoder/0/b']!.values, relu),
      w['decoder/1/w']!,
      w['decoder/1/b']!.values,
      sigmoid,
    );
    const x = tf.tensor2d(xs);
    const out = vae.reconstruct(x);
    const got = out.arraySync() as number[][];
    tf.dispose([x, out]);
    // float32 vs float64 through three layers of ≤ 8 inputs: ≈ 1e-7 on cpu/wasm; webgl's float32 exp/sigmoid ≈ 1e-5.
    const tol = tf.getBackend() === 'webgl' ? 1e-4 : 1e-6;
    for (let r = 0; r < 2; r++)
      for (let i = 0; i < 8; i++) expect(Math.abs(got[r]![i]! - expected[r]![i]!)).toBeLessThan(tol);
    vae.dispose();
  });

  it("round-trips through this environment's persistent storage (IndexedDB in the browser, the file system in Node)", async () => {
    const { model } = await loadModel(tf.io.fromMemory(fixtureArtifacts()));
    let url: string;
    if (typeof (globalThis as { indexedDB?: unknown }).indexedDB !== 'undefined') {
      savedKey = 'indexeddb://latentlab-cross-environment';
      url = savedKey;
    } else {
      // Node: the file-system handler (imported lazily so the browser bundle never sees node:fs).
      const nodeEntry = '../node.js';
      await import(/* @vite-ignore */ nodeEntry);
      const { mkdtemp } = await import(/* @vite-ignore */ 'node:fs/promises');
      const { tmpdir } = await import(/* @vite-ignore */ 'node:os');
      url = `file://${await mkdtemp(`${tmpdir()}/latentlab-xenv-`)}`;
    }
    await saveModel(model, url);
    const { model: back } = await loadModel(url);
    const [a, b] = [(model as Vae).getWeights(), (back as Vae).getWeights()];
    for (const name of Object.keys(a)) expect(Array.from(b[name]!.dataSync())).toEqual(Array.from(a[name]!.dataSync()));
    tf.dispose([...Object.values(a), ...Object.values(b)]);
    model.dispose();
    back.dispose();
  });
});
