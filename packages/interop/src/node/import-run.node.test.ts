import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, Vae } from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, type SafetensorsFile } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { importRun } from './import-run.js';
import { readSafetensorsFile } from './read-file.js';
import { writeModelSafetensors } from './write-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'interop-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const fixturePath = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));

/** The file's tensors re-written without metadata (what a plain `safetensors.torch.save_file` gives). */
function withoutMetadata(file: SafetensorsFile): Uint8Array {
  return writeSafetensors(
    Object.fromEntries([...file.tensors].map(([n, t]) => [n, { shape: t.shape, values: t.values }])),
  );
}

describe('importRun', () => {
  it('makes a run directory from pytorch/examples weights that loadModel reads back with the same weights', async () => {
    const before = tf.memory().numTensors;
    const out = path.join(dir, 'run-examples');
    const info = await importRun(fixturePath('pytorch-examples-vae/model.safetensors'), out, { epochs: 10 });
    expect(info).toEqual({
      model: 'vae',
      dataset: 'mnist',
      limit: null,
      epochs: 10,
      batchSize: 128,
      seed: 0,
      optimizer: expect.objectContaining({ name: 'adam' }),
    });
    expect(JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'))).toEqual(info);
    const { model } = await loadModel(fileSystem(out));
    expect(model).toBeInstanceOf(Vae);
    const fc1 = (await readSafetensorsFile(fixturePath('pytorch-examples-vae/model.safetensors'))).tensors.get(
      'fc1.weight',
    )!;
    const w = (model as Vae).getWeights();
    const loaded = w['encoder/0/w']!.dataSync(); // [784, 400] = fc1.weightᵀ
    expect(loaded[1 * 400 + 0]).toBe(fc1.values[0 * 784 + 1]);
    tf.dispose(Object.values(w));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("uses the exporter's <name>.json beside a file without metadata", async () => {
    const src = path.join(dir, 'bare');
    await mkdir(src, { recursive: true });
    const file = readSafetensors(await readFile(fixturePath('latentlab-mlp-vae/model.safetensors')));
    await writeFile(path.join(src, 'model.safetensors'), withoutMetadata(file));
    await copyFile(fixturePath('latentlab-mlp-vae/model.json'), path.join(src, 'model.json'));
    const out = path.join(dir, 'run-bare');
    expect((await importRun(path.join(src, 'model.safetensors'), out)).model).toBe('vae');
    const { model } = await loadModel(fileSystem(out));
    expect((model as Vae).config).toMatchObject({
      activation: 'leakyRelu',
      decoder: 'gaussian',
      decoderVariance: 'learned',
    });
    model.dispose();
  });
});

describe('writeModelSafetensors', () => {
  it('writes <name>.safetensors and <name>.json atomically, replacing a planted symlink instead of following it', async () => {
    const vae = new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [4] });
    const target = path.join(dir, 'victim.txt');
    await writeFile(target, 'untouched');
    const file = path.join(dir, 'vae.safetensors');
    await symlink(target, file);
    const { configFile, config } = await writeModelSafetensors(vae, file);
    expect(configFile).toBe(path.join(dir, 'vae.json'));
    expect(JSON.parse(await readFile(configFile, 'utf8'))).toEqual(config);
    expect(await readFile(target, 'utf8')).toBe('untouched');
    expect(JSON.parse((await readSafetensorsFile(file)).metadata!.latentlab!)).toEqual(config);
    vae.dispose();
  });
});
