import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Vae } from '../vae.js';
import { fileSystem } from './file-system.js';
import { FORMAT_NAME, FORMAT_VERSION } from './format.js';
import { type LoadedModel, loadModel, saveModel } from './save-load.js';
import '../node.js';

// fixtures/browser-saved-vae holds what headless Chromium downloaded when a VAE trained there on WebGL was saved
// to 'downloads://browser-vae' (tfjs's browserDownloads handler): browser-vae.json and browser-vae.weights.bin as
// saved, and
// browser-outputs.json with the x, μ = encode(x) and decode(μ) WebGL computed before saving. Regenerate with
// `node scripts/make-browser-fixture.mjs`.
const dir = fileURLToPath(new URL('./fixtures/browser-saved-vae', import.meta.url));
const jsonFile = path.join(dir, 'browser-vae.json');
const modelJson = JSON.parse(await fs.readFile(jsonFile, 'utf8'));
const bin = new Uint8Array(await fs.readFile(path.join(dir, 'browser-vae.weights.bin')));
const outputs = JSON.parse(await fs.readFile(path.join(dir, 'browser-outputs.json'), 'utf8')) as {
  backend: string;
  webglVersion: number;
  run: { data: { n: number }; epochs: number; batchSize: number; optimizerConfig: unknown };
  x: number[][];
  mu: number[][];
  decodeMu: number[][];
};
const specs = modelJson.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];

const tmp = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-browser-saved-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

/** The bytes of each weight in browser-vae.weights.bin, laid out one after the other in manifest order. */
const fileBytes = new Map<string, Uint8Array>();
{
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1) * 4; // float32 and int32: 4 bytes per value
    fileBytes.set(s.name, bin.subarray(offset, offset + n));
    offset += n;
  }
}

/** float32 values of a weight, read from the file's bytes; W is [in, out] row-major. */
function fileWeight(name: string): { shape: number[]; values: Float32Array } {
  const bytes = fileBytes.get(`model/${name}`)!;
  const values = new Float32Array(bytes.slice().buffer);
  return { shape: [...specs.find((s) => s.name === `model/${name}`)!.shape], values };
}

/** act(x·W + b) in float64. */
function dense(x: number[][], layer: string, act: (v: number) => number): number[][] {
  const w = fileWeight(`${layer}/w`);
  const b = fileWeight(`${layer}/b`).values;
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

const bytesOf = (t: tf.Tensor) =>
  new Uint8Array((t.dtype === 'int32' ? Int32Array.from(t.dataSync()) : Float32Array.from(t.dataSync())).buffer);

/** Every model weight and optimizer slot of a loaded checkpoint as bytes, under its manifest name. */
async function loadedBytes(loaded: LoadedModel): Promise<Map<string, Uint8Array>> {
  const vae = loaded.model as Vae;
  const out = new Map<string, Uint8Array>();
  const weights = vae.getWeights();
  for (const [name, t] of Object.entries(weights)) out.set(`model/${name}`, bytesOf(t));
  tf.dispose(Object.values(weights));
  const byVariable = new Map(vae.trainableVariables.map((v, i) => [v.name, vae.weightNames[i]!]));
  for (const { name, tensor } of await loaded.optimizer!.getWeights()) {
    const cut = name.lastIndexOf('/');
    const key = cut < 0 ? `optimizer/${name}` : `optimizer/${byVariable.get(name.slice(0, cut))}${name.slice(cut)}`;
    out.set(key, bytesOf(tensor));
    if (name === 'iter') tensor.dispose(); // a fresh scalar; the slots are the optimizer's variables
  }
  return out;
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, r) => row.map((v, i) => Math.abs(v - b[r]![i]!))));
}

describe('a checkpoint saved in Chromium (WebGL) through downloads://', () => {
  it("is tfjs's model JSON + weights file with our format version, after a training run on WebGL", () => {
    expect(outputs.backend).toBe('webgl');
    expect(outputs.webglVersion).toBe(2);
    expect(modelJson.format).toBe(FORMAT_NAME);
    expect(modelJson.formatVersion).toBeUndefined(); // tfjs's layout: our version lives in modelTopology
    expect(modelJson.modelTopology).toMatchObject({ format: FORMAT_NAME, formatVersion: FORMAT_VERSION, kind: 'vae' });
    expect(modelJson.weightsManifest[0].paths).toEqual(['./browser-vae.weights.bin']);
    // Steps: epochs · ⌈n / batchSize⌉.
    const { run } = outputs;
    expect(modelJson.modelTopology.training.step).toBe(run.epochs * Math.ceil(run.data.n / run.batchSize));
    expect(modelJson.modelTopology.optimizer.config).toEqual(run.optimizerConfig);
    // The model's weights, Adam's two moments of each and the iteration count (4 bytes).
    const modelWeights = specs.filter((s) => s.name.startsWith('model/')).length;
    expect(specs.filter((s) => s.name.startsWith('optimizer/')).length).toBe(2 * modelWeights + 1);
    const parameters = specs
      .filter((s) => s.name.startsWith('model/'))
      .reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(bin.byteLength).toBe(parameters * 4 * 3 + 4);
  });

  it('loads in Node (file, file://, directory) with every weight and Adam slot bit-identical to the weights file', async () => {
    await assertNoLeaks(async () => {
      const loaded = await loadModel(fileSystem(jsonFile));
      loaded.model.dispose();
      loaded.optimizer!.dispose();
    });
    // The JSON renamed to model.json in a directory beside the untouched weights file.
    const renamed = path.join(tmp, 'renamed');
    await fs.mkdir(renamed);
    await fs.copyFile(jsonFile, path.join(renamed, 'model.json'));
    await fs.copyFile(path.join(dir, 'browser-vae.weights.bin'), path.join(renamed, 'browser-vae.weights.bin'));
    for (const target of [fileSystem(jsonFile), `file://${jsonFile}`, fileSystem(renamed)]) {
      const loaded = await loadModel(target);
      expect(loaded.kind).toBe('vae');
      expect(loaded.model.config).toEqual(modelJson.modelTopology.config);
      expect(loaded.optimizerConfig).toEqual(outputs.run.optimizerConfig);
      expect(loaded.training).toEqual(modelJson.modelTopology.training);
      const got = await loadedBytes(loaded);
      expect([...got.keys()].sort()).toEqual([...fileBytes.keys()].sort());
      for (const [name, bytes] of fileBytes) expect(got.get(name), name).toEqual(bytes);
      loaded.model.dispose();
      loaded.optimizer!.dispose();
    }
  });

  it("computes μ = encode(x) and decode(μ) as a float64 forward pass of the file's weights, and as WebGL did", async () => {
    const { model } = await loadModel(fileSystem(jsonFile));
    const vae = model as Vae;
    const x = tf.tensor2d(outputs.x);
    const mu = vae.encode(x);
    const decoded = vae.decode(mu);
    const [muNode, decodedNode] = [mu.arraySync() as number[][], decoded.arraySync() as number[][]];
    // The browser's μ decoded here.
    const browserMu = tf.tensor2d(outputs.mu);
    const decodedBrowserMu = vae.decode(browserMu);
    const fromBrowserMu = decodedBrowserMu.arraySync() as number[][];
    tf.dispose([x, mu, decoded, browserMu, decodedBrowserMu]);
    vae.dispose();
    // μ = W_μᵀ relu(W₀ᵀx + b₀) + b_μ;  decode(μ) = sigmoid(W₂ᵀ relu(W₁ᵀμ + b₁) + b₂), in float64.
    const mu64 = dense(dense(outputs.x, 'encoder/0', relu), 'encoder/mu', linear);
    const decode64 = (z: number[][]) => dense(dense(z, 'decoder/0', relu), 'decoder/1', sigmoid);
    // float32 against float64 through two layers of ≤ 8 inputs: a few ulps of values ≤ 10 on cpu and wasm.
    expect(maxAbsDiff(muNode, mu64)).toBeLessThan(1e-6);
    expect(maxAbsDiff(decodedNode, decode64(muNode))).toBeLessThan(1e-6);
    expect(maxAbsDiff(fromBrowserMu, decode64(outputs.mu))).toBeLessThan(1e-6);
    // What WebGL computed in float32 (SwiftShader: ≈ 7e-8 from float64; a GPU's float32 exp in the sigmoid may be
    // less careful, hence 1e-5 should the fixture be regenerated on one).
    expect(maxAbsDiff(outputs.mu, mu64)).toBeLessThan(1e-5);
    expect(maxAbsDiff(outputs.decodeMu, decode64(outputs.mu))).toBeLessThan(1e-5);
    expect(maxAbsDiff(fromBrowserMu, outputs.decodeMu)).toBeLessThan(1e-5);
  });

  it('saved again in Node: the weights file is byte-identical to the browser one and decode(μ) reloads bit for bit', async () => {
    const loaded = await loadModel(fileSystem(jsonFile));
    const out = path.join(tmp, 'resaved');
    await saveModel(loaded.model, fileSystem(out), {
      optimizer: loaded.optimizer,
      optimizerConfig: loaded.optimizerConfig,
      training: loaded.training,
    });
    const json = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8'));
    // The same topology, plus the VAE's noise positions and the weight data's CRC-32, which this build saves (the
    // fixture's build replayed the noise and wrote no CRC-32).
    const { noise, weightDataCrc32, ...topology } = json.modelTopology;
    expect(topology).toEqual(modelJson.modelTopology);
    expect(noise).toEqual((loaded.model as Vae).noiseState);
    expect(weightDataCrc32).toBe(zlibCrc32(bin));
    expect(json.weightsManifest[0].weights).toEqual(specs);
    expect(new Uint8Array(await fs.readFile(path.join(out, json.weightsManifest[0].paths[0])))).toEqual(bin);
    const again = await loadModel(`file://${out}`);
    const mu = tf.tensor2d(outputs.mu);
    const [a, b] = [(loaded.model as Vae).decode(mu), (again.model as Vae).decode(mu)];
    expect(bytesOf(b)).toEqual(bytesOf(a));
    tf.dispose([mu, a, b]);
    for (const m of [loaded, again]) {
      m.model.dispose();
      m.optimizer!.dispose();
    }
  });
});
