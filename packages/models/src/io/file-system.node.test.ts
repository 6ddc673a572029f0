import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { writeFileAtomic } from '@latentlab/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Vae } from '../vae.js';
import { type FileSystemOptions, fileSystem, MODEL_JSON } from './file-system.js';
import { ModelFormatError } from './format.js';
import { loadModel, saveModel } from './save-load.js';
import '../node.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-io-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/** The id of a process that has exited (its temp files are stale). */
const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;

const small = (seed: number) => new Vae({ inputShape: [8], latentDim: 2, hiddenUnits: [6], seed });

function weightsOf(m: Vae): Record<string, number[]> {
  const w = m.getWeights();
  const out = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(w));
  return out;
}

async function weightsFile(dir: string): Promise<string> {
  const json = JSON.parse(await fs.readFile(path.join(dir, MODEL_JSON), 'utf8'));
  return path.join(dir, json.weightsManifest[0].paths[0]);
}

describe('fileSystem', () => {
  it('round-trips through model.json + weights file, by handler and by file:// URL, bit-identical', async () => {
    const dir = path.join(root, 'round-trip');
    const vae = small(1);
    await saveModel(vae, fileSystem(dir));
    const json = JSON.parse(await fs.readFile(path.join(dir, MODEL_JSON), 'utf8'));
    expect(json.formatVersion).toBe(1);
    expect((await fs.stat(await weightsFile(dir))).size).toBe(vae.parameterCount * 4);
    for (const target of [fileSystem(dir), `file://${dir}`]) {
      const { model } = await loadModel(target);
      expect(weightsOf(model as Vae)).toEqual(weightsOf(vae));
      model.dispose();
    }
    // A second save replaces the checkpoint and removes the old weights file.
    const other = small(2);
    await saveModel(other, fileSystem(dir));
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const { model } = await loadModel(fileSystem(dir));
    expect(weightsOf(model as Vae)).toEqual(weightsOf(other));
    vae.dispose();
    other.dispose();
    model.dispose();
  });

  it('a save that crashes half-way leaves the previous checkpoint loadable', async () => {
    const dir = path.join(root, 'crash');
    const good = small(3);
    await saveModel(good, fileSystem(dir));
    for (const failAt of ['weights', 'json']) {
      // A writer whose write of the weights (or of model.json) leaves half the bytes in a temp file of a dead
      // process (what a kill inside writeFileAtomic leaves), then throws: the target is untouched.
      const failing: FileSystemOptions = {
        async writeFile(file, data) {
          const target = failAt === 'weights' ? file.endsWith('.bin') : file.endsWith('.json');
          if (!target) return writeFileAtomic(file, data);
          const half = typeof data === 'string' ? data.slice(0, data.length / 2) : data.subarray(0, data.length / 2);
          await fs.writeFile(path.join(path.dirname(file), `.${path.basename(file)}.${deadPid}.crash.tmp`), half);
          throw new Error('disk full (injected)');
        },
      };
      const bad = small(4);
      await expect(saveModel(bad, fileSystem(dir, failing))).rejects.toThrow(/disk full/);
      bad.dispose();
      const { model } = await loadModel(fileSystem(dir));
      expect(weightsOf(model as Vae)).toEqual(weightsOf(good));
      model.dispose();
    }
    // Each save removes the temp files dead writers left (the second failing save removed the first's).
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([`.${MODEL_JSON}.${deadPid}.crash.tmp`]);
    await saveModel(good, fileSystem(dir));
    expect((await fs.readdir(dir)).sort()).toEqual([MODEL_JSON, path.basename(await weightsFile(dir))].sort());
    good.dispose();
  });

  it('throws a ModelFormatError for a short weights file, a missing one, a changed byte, corrupted JSON, an unknown version', async () => {
    const vae = small(5);
    const bytes = vae.parameterCount * 4;
    const make = async (name: string) => {
      const dir = path.join(root, name);
      await saveModel(vae, fileSystem(dir));
      return dir;
    };
    const short = await make('short');
    const file = await weightsFile(short);
    await fs.truncate(file, bytes - 1);
    const decoderBias = vae.weightNames.at(-1)!;
    const expectLoadError = async (dir: string, message: RegExp) => {
      const error = await loadModel(fileSystem(dir)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(message);
    };
    await expectLoadError(
      short,
      new RegExp(
        `ends inside weight 'model/${decoderBias}'.*expected 32 bytes.*found 31 bytes \\(${bytes - 1} in all\\)`,
      ),
    );
    const missing = await make('missing');
    await fs.rm(await weightsFile(missing));
    await expectLoadError(
      missing,
      /weights file weights\..*\.bin is missing or unreadable: expected \d+ bytes .*found ENOENT/,
    );
    // A weights file of the right length with one byte changed (a bad disk, a bad copy): refused, left as it was.
    const flipped = await make('flipped');
    const flippedFile = await weightsFile(flipped);
    const saved = await fs.readFile(flippedFile);
    const savedJson = JSON.parse(await fs.readFile(path.join(flipped, MODEL_JSON), 'utf8'));
    expect(savedJson.modelTopology.weightDataCrc32).toBe(zlibCrc32(saved)); // Node's zlib: an independent CRC-32
    const bad = Buffer.from(saved);
    bad[bytes >> 1]! ^= 0x01;
    await fs.writeFile(flippedFile, bad);
    await expectLoadError(
      flipped,
      new RegExp(
        `weight data is corrupted.*found CRC-32 0x${zlibCrc32(bad).toString(16).padStart(8, '0')} over ${bytes} bytes`,
      ),
    );
    expect(await fs.readFile(flippedFile)).toEqual(bad);
    const corrupted = await make('corrupted');
    await fs.writeFile(path.join(corrupted, MODEL_JSON), '{"formatVersion": 1, "modelTop');
    await expectLoadError(corrupted, /model\.json is not valid JSON/);
    const future = await make('future');
    const json = JSON.parse(await fs.readFile(path.join(future, MODEL_JSON), 'utf8'));
    await fs.writeFile(path.join(future, MODEL_JSON), JSON.stringify({ ...json, formatVersion: 99 }));
    await expectLoadError(future, /unknown format version: expected formatVersion 1, found 99/);
    // tfjs's own layout (what 'downloads://' writes) has no top-level version: the topology's is checked.
    const { formatVersion: _, ...tfjsLayout } = json;
    await fs.writeFile(
      path.join(future, MODEL_JSON),
      JSON.stringify({ ...tfjsLayout, modelTopology: { ...json.modelTopology, formatVersion: 99 } }),
    );
    await expectLoadError(future, /loadModel: unknown format version: expected formatVersion 1, found 99/);
    await expectLoadError(path.join(root, 'nowhere'), /cannot read .*nowhere\/model\.json: expected a saved model/);
    await expectLoadError(
      path.join(root, 'nowhere.json'),
      /cannot read .*nowhere\.json or .*nowhere\.json\/model\.json/,
    );
    vae.dispose();
  });
});
