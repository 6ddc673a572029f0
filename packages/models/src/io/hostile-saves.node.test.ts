// Saves into a hostile directory (links planted at the names a save writes, temp files of killed saves), loads
// that fail after checks (nothing may leak), non-finite weights allowed on request, and browser uploads whose
// sizes disagree with their manifest (refused before tfjs reads a byte).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../optimizers.js';
import { Pca } from '../pca/pca.js';
import { Vae } from '../vae.js';
import { fileSystem, MODEL_JSON } from './file-system.js';
import { offsetOf, readModelDir, rewriteWeights } from './fixtures/model-dir.js';
import { MAX_MODEL_JSON_BYTES, ModelFormatError } from './format.js';
import { artifactsToModel, loadModel, modelToArtifacts, saveModel } from './save-load.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-hostile-saves-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));
const deadPid = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has exited
const small = (seed = 1) => new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed });
const { dataset } = noisyLinearSubspace({ n: 64, dim: 8, rank: 2, noise: 0.05, seed: 5 });

async function expectFormatError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelFormatError);
  expect((error as Error).message).toMatch(message);
}

describe('saving into a hostile directory', () => {
  it('replaces links planted at model.json, model.json.tmp and an old weights file, never writing through them', async () => {
    const dir = path.join(root, 'links');
    const outside = path.join(root, 'links-outside');
    await fs.mkdir(dir);
    await fs.mkdir(outside);
    const targets = ['json', 'tmp', 'weights'].map((n) => path.join(outside, `${n}.txt`));
    for (const t of targets) await fs.writeFile(t, `do not overwrite ${t}`);
    const old = new Date(Date.now() - 60_000);
    for (const t of targets) await fs.utimes(t, old, old);
    const before = await Promise.all(
      targets.map(async (t) => [await fs.readFile(t, 'utf8'), (await fs.stat(t)).mtimeMs]),
    );
    await fs.symlink(targets[0]!, path.join(dir, MODEL_JSON));
    await fs.symlink(targets[1]!, path.join(dir, `${MODEL_JSON}.tmp`));
    await fs.symlink(targets[2]!, path.join(dir, 'weights.planted.bin'));
    const vae = small();
    await saveModel(vae, fileSystem(dir));
    const after = await Promise.all(
      targets.map(async (t) => [await fs.readFile(t, 'utf8'), (await fs.stat(t)).mtimeMs]),
    );
    expect(after).toEqual(before);
    expect((await fs.lstat(path.join(dir, MODEL_JSON))).isFile()).toBe(true); // the link itself was replaced
    const names = await fs.readdir(dir);
    expect(names).not.toContain(`${MODEL_JSON}.tmp`); // an earlier build's temp name: removed (the link only)
    expect(names).not.toContain('weights.planted.bin'); // the previous "weights": the link removed, not its target
    const { model } = await loadModel(fileSystem(dir));
    expect(model.config).toEqual(vae.config);
    model.dispose();
    vae.dispose();
  });

  it('removes the temp files killed saves left (both kinds), but not those of a live writer', async () => {
    const dir = path.join(root, 'stale');
    const vae = small(2);
    await saveModel(vae, fileSystem(dir));
    const stale = [
      `.${MODEL_JSON}.${deadPid}.k3j2.tmp`, // writeFileAtomic's temp of a killed process
      `.weights.abc-1-0.bin.${deadPid}.x9.tmp`,
      'weights.abc-1-0.bin.tmp', // earlier builds' temp names
      `${MODEL_JSON}.tmp`,
    ];
    const live = `.${MODEL_JSON}.${process.pid}.live.tmp`; // a save in flight in this very process
    for (const name of [...stale, live]) await fs.writeFile(path.join(dir, name), Buffer.alloc(1024));
    await saveModel(vae, fileSystem(dir));
    const names = await fs.readdir(dir);
    for (const name of stale) expect(names).not.toContain(name);
    expect(names).toContain(live);
    expect(names.filter((n) => /^weights\..*\.bin$/.test(n))).toHaveLength(1);
    vae.dispose();
  });
});

describe('failing loads', () => {
  it('leak no tensors, whichever check fails (noise state, optimizer, shapes, values, PCA)', async () => {
    const vae = small(3);
    const optimizerConfig = { name: 'adam', learningRate: 1e-2 } as const;
    const optimizer = createOptimizer(optimizerConfig);
    await vae.fit(dataset, { epochs: 1, batchSize: 32, optimizer });
    const pca = await new Pca({ nComponents: 2 }).fit(
      tf.tensor2d(Float32Array.from(dataset.x as ArrayLike<number>), [64, 8]),
    );
    const good = await modelToArtifacts(vae, { optimizer, optimizerConfig });
    const goodPca = await modelToArtifacts(pca);
    type Topology = Record<string, unknown> & { config: Record<string, unknown>; optimizer: { config: unknown } };
    const edited = (base: tf.io.ModelArtifacts, edit: (t: Topology) => void) => {
      const topology = structuredClone(base.modelTopology) as Topology;
      edit(topology);
      return { ...base, modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'] };
    };
    const cases: [tf.io.ModelArtifacts, RegExp][] = [
      [
        edited(good, (t) => {
          t.noise = { train: null };
        }),
        /noise state is malformed/,
      ],
      [
        edited(good, (t) => {
          t.optimizer.config = { name: 'bogus' };
        }),
        /cannot be restored/,
      ], // after the model is built
      [
        edited(good, (t) => {
          t.config.hiddenUnits = [7];
        }),
        /weight 'encoder\/0\/w' has the wrong shape/,
      ],
      [
        edited(goodPca, (t) => {
          (t.pca as { totalVariance: number }).totalVariance = Number.NaN;
        }),
        /pca\.totalVariance/,
      ],
    ];
    const before = tf.memory().numTensors;
    for (let round = 0; round < 3; round++) {
      for (const [artifacts, message] of cases) await expectFormatError(artifactsToModel(artifacts), message);
    }
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
    optimizer.dispose();
    pca.dispose();
  });

  it('loads non-finite weights only with allowNonFinite, naming the weight otherwise', async () => {
    const dir = path.join(root, 'nan');
    const vae = small(4);
    await saveModel(vae, fileSystem(dir));
    const { json, weights } = await readModelDir(dir);
    const bytes = Buffer.from(weights);
    bytes.writeFloatLE(Number.POSITIVE_INFINITY, offsetOf(json, 'model/encoder/mu/b') + 4);
    await rewriteWeights(dir, bytes);
    await expectFormatError(
      loadModel(fileSystem(dir)),
      /weight 'model\/encoder\/mu\/b' holds a non-finite value at index 1/,
    );
    const { model } = await loadModel(fileSystem(dir), { allowNonFinite: true });
    const w = (model as Vae).getWeights();
    expect(w['encoder/mu/b']!.dataSync()[1]).toBe(Number.POSITIVE_INFINITY);
    tf.dispose(Object.values(w));
    model.dispose();
    vae.dispose();
  });
});

describe('browser uploads (tf.io.browserFiles)', () => {
  // Node has File but no FileReader: tfjs's handler would fail on its first read, so refusing here with our own
  // error shows the sizes were checked before any read.
  it('refuses a weights file longer or shorter than the manifest, and an oversized JSON file, before reading', async () => {
    const dir = path.join(root, 'upload');
    const vae = small(5);
    await saveModel(vae, fileSystem(dir));
    const { json, weightsName, weights } = await readModelDir(dir);
    const jsonFile = new File([JSON.stringify(json)], 'my-vae.json');
    for (const [bytes, message] of [
      [Buffer.concat([weights, Buffer.alloc(4)]), /weights file .*\.bin is longer than its manifest/],
      [weights.subarray(0, weights.length - 4), /weights file .*\.bin ends inside weight 'model\/decoder\/1\/b'/],
    ] as const) {
      const upload = tf.io.browserFiles([jsonFile, new File([bytes], weightsName)]);
      await expectFormatError(loadModel(upload), message);
    }
    const huge = new File([JSON.stringify({ ...json, padding: 'x'.repeat(MAX_MODEL_JSON_BYTES) })], 'huge.json');
    await expectFormatError(
      loadModel(tf.io.browserFiles([huge, new File([weights], weightsName)])),
      /huge\.json is too large: expected at most 16777216 bytes/,
    );
    vae.dispose();
  });
});
