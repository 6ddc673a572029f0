import { ValueError } from '@latentlab/core';
import { assertNoLeaks } from '@latentlab/core/testing';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createOptimizer } from '../optimizers.js';
import { Pca } from '../pca/pca.js';
import type { TrainState } from '../training/train-state.js';
import { Vae } from '../vae.js';
import { FORMAT_NAME, FORMAT_VERSION, ModelFormatError } from './format.js';
import { loadModel, saveModel } from './save-load.js';

// tfjs's browserDownloads handler (`'downloads://name'`) saves by clicking two detached <a download> elements
// whose hrefs are blob: URLs; browserFiles loads the File objects a user picks in an <input type="file">. These
// tests run the real handlers in Chromium: a click listener on the anchors (added where tfjs creates them)
// records the file name and blob URL and cancels the download, the blobs are fetched back and become the Files
// that are "uploaded" again. The package compiles without the DOM lib, hence the structural types below.
interface Anchor {
  download: string;
  href: string;
  addEventListener(type: 'click', listener: (event: { preventDefault(): void }) => void): void;
}
interface DocumentLike {
  createElement(tag: string, options?: unknown): unknown;
}

const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
const { dataset } = noisyLinearSubspace({ n: 64, dim: 8, rank: 2, noise: 0.05, seed: 11 });
const x = Float32Array.from(dataset.x as ArrayLike<number>);

/** Runs `save` and returns the files its download anchors would have saved, in click order. */
async function captureDownloads(save: () => Promise<unknown>): Promise<File[]> {
  const doc = (globalThis as unknown as { document: DocumentLike }).document;
  const createElement = doc.createElement.bind(doc);
  const clicks: { name: string; href: string }[] = [];
  const spy = vi.spyOn(doc, 'createElement').mockImplementation((tag: string, options?: unknown) => {
    const element = createElement(tag, options);
    if (tag.toLowerCase() === 'a') {
      const a = element as Anchor;
      a.addEventListener('click', (event) => {
        event.preventDefault();
        clicks.push({ name: a.download, href: a.href });
      });
    }
    return element;
  });
  try {
    await save();
  } finally {
    spy.mockRestore();
  }
  return Promise.all(clicks.map(async ({ name, href }) => new File([await (await fetch(href)).blob()], name)));
}

/** Little-endian bytes of every weight of a model. */
function weightBytes(m: { getWeights(): Record<string, tf.Tensor> }): Record<string, Uint8Array> {
  const w = m.getWeights();
  const out = Object.fromEntries(
    Object.entries(w).map(([k, t]) => [k, new Uint8Array(Float32Array.from(t.dataSync()).buffer)]),
  );
  tf.dispose(Object.values(w));
  return out;
}

/** Byte offset and length of every weight of a manifest, laid out one after the other. */
function layout(specs: readonly tf.io.WeightsManifestEntry[]): Map<string, { offset: number; bytes: number }> {
  const out = new Map<string, { offset: number; bytes: number }>();
  let offset = 0;
  for (const s of specs) {
    const bytes = s.shape.reduce((a, b) => a * b, 1) * 4; // float32 and int32: 4 bytes per value
    out.set(s.name, { offset, bytes });
    offset += bytes;
  }
  return out;
}

async function loadError(files: File[]): Promise<Error> {
  const error = await loadModel(tf.io.browserFiles(files)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelFormatError);
  expect((error as Error).message).not.toMatch(/should have/); // never tfjs's bare "tensor should have N values"
  return error as Error;
}

if (isBrowser) {
  describe('downloads:// (tf.io.browserDownloads) and tf.io.browserFiles', () => {
    // One trained VAE with its Adam state, saved once; the tests below load its files.
    let vae: Vae;
    let optimizer: tf.Optimizer;
    let state: TrainState;
    let files: File[];
    const optimizerConfig = { name: 'adam', learningRate: 1e-2 } as const;
    afterAll(() => {
      optimizer?.dispose();
      vae?.dispose();
    });
    const prepare = async () => {
      if (files) return;
      vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 5 });
      optimizer = createOptimizer(optimizerConfig);
      await vae.fit(dataset, {
        epochs: 1,
        batchSize: 32,
        optimizer,
        onEpochEnd: (_, s) => {
          state = s;
        },
      });
      files = await captureDownloads(() =>
        saveModel(vae, 'downloads://latentlab-vae', { optimizer, optimizerConfig, training: state }),
      );
    };

    it('saves <name>.json with our format version and <name>.weights.bin holding every weight bit for bit', async () => {
      await prepare();
      expect(files.map((f) => f.name)).toEqual(['latentlab-vae.json', 'latentlab-vae.weights.bin']);
      const json = JSON.parse(await files[0]!.text());
      expect(json.format).toBe(FORMAT_NAME);
      expect(json.modelTopology).toMatchObject({ format: FORMAT_NAME, formatVersion: FORMAT_VERSION, kind: 'vae' });
      expect(json.modelTopology.config).toEqual(vae.config);
      expect(json.modelTopology.training).toEqual(state);
      expect(json.weightsManifest).toHaveLength(1);
      expect(json.weightsManifest[0].paths).toEqual(['./latentlab-vae.weights.bin']);
      const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
      // The model's weights, Adam's two moments per weight and its iteration count (one int32/float32 scalar).
      const bin = new Uint8Array(await files[1]!.arrayBuffer());
      expect(bin.byteLength).toBe(vae.parameterCount * 4 * 3 + 4);
      const at = layout(specs);
      for (const [name, bytes] of Object.entries(weightBytes(vae))) {
        const { offset, bytes: n } = at.get(`model/${name}`)!;
        expect(bin.subarray(offset, offset + n)).toEqual(bytes);
      }
    });

    it('browserFiles loads those files: weights and Adam slots bit-identical, decode(μ) identical, no leaks', async () => {
      await prepare();
      await assertNoLeaks(async () => {
        const l = await loadModel(tf.io.browserFiles(files));
        l.model.dispose();
        l.optimizer!.dispose();
      });
      const loaded = await loadModel(tf.io.browserFiles(files));
      const copy = loaded.model as Vae;
      expect(loaded.kind).toBe('vae');
      expect(copy.config).toEqual(vae.config);
      expect(weightBytes(copy)).toEqual(weightBytes(vae));
      expect(loaded.training).toEqual(state);
      expect(loaded.optimizerConfig).toEqual(optimizerConfig);
      const [before, after] = [await optimizer.getWeights(), await loaded.optimizer!.getWeights()];
      const slotName = (variables: readonly tf.Variable[], names: readonly string[], n: string) => {
        const cut = n.lastIndexOf('/');
        return cut < 0 ? n : `${names[variables.findIndex((v) => v.name === n.slice(0, cut))]}${n.slice(cut)}`;
      };
      const slots = (ws: { name: string; tensor: tf.Tensor }[], m: Vae) =>
        Object.fromEntries(
          ws.map((w) => [slotName(m.trainableVariables, m.weightNames, w.name), Array.from(w.tensor.dataSync())]),
        );
      expect(Object.keys(slots(before, vae))).toHaveLength(vae.weightNames.length * 2 + 1);
      expect(slots(after, copy)).toEqual(slots(before, vae));
      tf.dispose([before[0]!.tensor, after[0]!.tensor]); // the iteration scalars are fresh tensors
      const inputs = tf.tensor2d(x.subarray(0, 5 * 8), [5, 8]);
      const mu = vae.encode(inputs);
      const [a, b] = [vae.decode(mu), copy.decode(mu)];
      // Same backend, same weights, same shader programs: the outputs are equal bit for bit.
      expect(new Uint8Array(Float32Array.from(b.dataSync()).buffer)).toEqual(
        new Uint8Array(Float32Array.from(a.dataSync()).buffer),
      );
      tf.dispose([inputs, mu, a, b]);
      loaded.optimizer!.dispose();
      copy.dispose();
    });

    it('a short, long, damaged, misnamed, missing or swapped upload is a ModelFormatError naming the weight and the bytes', async () => {
      await prepare();
      const [jsonFile, binFile] = files as [File, File];
      const specs = JSON.parse(await jsonFile.text()).weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
      const at = layout(specs);
      const total = [...at.values()].reduce((s, w) => s + w.bytes, 0);
      const bin = new Uint8Array(await binFile.arrayBuffer());
      const upload = (bytes: Uint8Array, name = binFile.name) => [jsonFile, new File([bytes], name)];
      const before = tf.memory().numTensors;
      // Cut 6 bytes: the last weight of the manifest is 6 bytes short.
      const last = specs.at(-1)!;
      const lastBytes = at.get(last.name)!.bytes;
      expect((await loadError(upload(bin.subarray(0, total - 6)))).message).toMatch(
        new RegExp(
          `ends inside weight '${last.name}'.*expected ${lastBytes} bytes at offset ${total - lastBytes} \\(${total} bytes in all\\), found ${lastBytes - 6} bytes \\(${total - 6} in all\\)`,
        ),
      );
      // Cut in half: the weight that straddles the middle is named, with the bytes of it that arrived.
      const half = Math.floor(total / 2);
      const [cutName, cut] = [...at].find(([, w]) => w.offset <= half && half < w.offset + w.bytes)!;
      expect((await loadError(upload(bin.subarray(0, half)))).message).toMatch(
        new RegExp(`ends inside weight '${cutName}'.*expected ${cut.bytes} bytes.*found ${half - cut.offset} bytes`),
      );
      // Four bytes too many.
      const long = new Uint8Array(total + 4);
      long.set(bin);
      expect((await loadError(upload(long))).message).toMatch(
        new RegExp(`longer than its manifest: expected ${total} bytes, found ${total + 4} bytes`),
      );
      // The right length with one byte changed (a damaged copy): its CRC-32 is not the saved one.
      const flipped = bin.slice();
      flipped[half]! ^= 0x40;
      expect((await loadError(upload(flipped))).message).toMatch(
        new RegExp(`weight data is corrupted.*found CRC-32 0x[0-9a-f]{8} over ${total} bytes`),
      );
      // A weights file renamed on the way (the manifest names './latentlab-vae.weights.bin').
      expect((await loadError(upload(bin, 'weights (1).bin'))).message).toMatch(
        /could not read the model.*latentlab-vae\.weights\.bin/,
      );
      // Only the JSON file picked: every weight is missing, starting with the first.
      expect((await loadError([jsonFile])).message).toMatch(
        new RegExp(`weight '${vae.weightNames[0]}' is missing: expected a float32 \\[8,6\\] weight, found none`),
      );
      // The two files picked in the wrong order: the weights file is read as model.json.
      expect((await loadError([binFile, jsonFile])).message).toMatch(
        /Error in loadModel: latentlab-vae\.weights\.bin is not valid JSON/,
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it('uploads a checkpoint saved in Node (model.json + weights.<id>.bin as written): weights bit for bit', async () => {
      // fixtures/node-saved-vae-files: written by fileSystem() in plain Node after training on cpu, with the x,
      // μ = encode(x) and decode(μ) computed there (`node scripts/make-node-fixture.mjs`).
      // Vitest's browser mode serves this module under its file path, and Vite serves any file as /@fs/<path>.
      // (`fixture` is a variable: Vite rewrites `new URL('a literal', import.meta.url)` into an asset URL.)
      const fixture = './fixtures/node-saved-vae-files/';
      const get = async (name: string) => {
        const response = await fetch(`/@fs${new URL(fixture + name, import.meta.url).pathname}`);
        expect(response.ok, `${response.url}: ${response.status}`).toBe(true);
        return new File([await response.blob()], name);
      };
      const jsonFile = await get('model.json');
      const json = JSON.parse(await jsonFile.text());
      const outputs = JSON.parse(await (await get('node-outputs.json')).text()) as {
        backend: string;
        x: number[][];
        mu: number[][];
        decodeMu: number[][];
      };
      expect(outputs.backend).toBe('cpu');
      expect(json.formatVersion).toBe(FORMAT_VERSION);
      const [weightsName] = json.weightsManifest[0].paths as [string];
      expect(weightsName).toMatch(/^weights\..*\.bin$/);
      const binFile = await get(weightsName);
      const bin = new Uint8Array(await binFile.arrayBuffer());
      const loaded = await loadModel(tf.io.browserFiles([jsonFile, binFile]));
      const copy = loaded.model as Vae;
      const at = layout(json.weightsManifest[0].weights);
      for (const [name, bytes] of Object.entries(weightBytes(copy))) {
        const { offset, bytes: n } = at.get(`model/${name}`)!;
        expect(bytes, name).toEqual(bin.subarray(offset, offset + n));
      }
      expect(loaded.training).toEqual(json.modelTopology.training);
      // decode(μ) here against what cpu computed in Node from the same weights: WebGL's float32 matmuls and
      // sigmoid (SwiftShader) stay within ≈ 1e-7 of it; 1e-5 leaves room for a GPU's less careful exp.
      const x = tf.tensor2d(outputs.x);
      const mu = copy.encode(x);
      const decoded = copy.decode(mu);
      const [muHere, decodedHere] = [mu.arraySync(), decoded.arraySync() as number[][]];
      tf.dispose([x, mu, decoded]);
      const maxDiff = (a: number[][], b: number[][]) =>
        Math.max(...a.flatMap((row, r) => row.map((v, i) => Math.abs(v - b[r]![i]!))));
      expect(maxDiff(muHere, outputs.mu)).toBeLessThan(1e-5);
      expect(maxDiff(decodedHere, outputs.decodeMu)).toBeLessThan(1e-5);
      copy.dispose();
      loaded.optimizer!.dispose();
    });

    it('round-trips a fitted PCA through the downloads:// handler object (float64 parameters bit for bit)', async () => {
      const data = tf.tensor2d(x, [64, 8]);
      const pca = await new Pca({ nComponents: 3 }).fit(data);
      data.dispose();
      const saved = await captureDownloads(() => saveModel(pca, tf.io.getSaveHandlers('downloads://pca')[0]!));
      expect(saved.map((f) => f.name)).toEqual(['pca.json', 'pca.weights.bin']);
      // mean (8), components (3 × 8) and explained variance (3), float64: 8 bytes each.
      expect(saved[1]!.size).toBe((8 + 3 * 8 + 3) * 8);
      const copy = (await loadModel(tf.io.browserFiles(saved))).model as Pca;
      expect(copy.explainedVariance).toEqual(pca.explainedVariance);
      expect(copy.totalVariance).toBe(pca.totalVariance);
      expect(Array.from(copy.components.dataSync())).toEqual(Array.from(pca.components.dataSync()));
      expect(Array.from(copy.mean.dataSync())).toEqual(Array.from(pca.mean.dataSync()));
      pca.dispose();
      copy.dispose();
    });
  });
} else {
  describe('downloads:// in Node', () => {
    it('has no save handler: saveModel throws a ValueError naming the URL', async () => {
      const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed: 5 });
      const error = await saveModel(vae, 'downloads://latentlab-vae').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect((error as Error).message).toMatch(
        /Error in saveModel: no single save handler.*found downloads:\/\/latentlab-vae/,
      );
      vae.dispose();
    });
  });
}
