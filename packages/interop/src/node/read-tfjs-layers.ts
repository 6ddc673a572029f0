import path from 'node:path';
import { concatBytes } from '@latentlab/core';
import { openRegularFile, type RegularFileFailure, readExactly } from '@latentlab/core/node';
import { ModelFormatError } from '@latentlab/models';
import type { TfjsLayersModel } from '../import/tfjs-layers.js';

/** The largest model.json read (10 MB) and weight shard total (2 GiB). */
export const MAX_MODEL_JSON_BYTES = 10 * 1024 ** 2;
const MAX_WEIGHT_BYTES = 2 * 1024 ** 3;

/** Reads a whole regular file of at most `max` bytes through core's reader; every refusal a `ModelFormatError`. */
async function readRegular(fn: string, file: string, max: number): Promise<Uint8Array> {
  const fail = (f: RegularFileFailure) => new ModelFormatError(fn, `${file}: ${f.message}`, f.expected, f.found);
  const { handle, size } = await openRegularFile(file, { fn, maxBytes: max, fail });
  try {
    return await readExactly(handle, { fn, path: file, length: size, fail });
  } finally {
    await handle.close();
  }
}

/**
 * Reads a tfjs Layers model directory as `tensorflowjs_converter` writes it: `model.json` (≤ 10 MB) and the
 * weight shards its manifest names, which must be plain file names in the same directory (no `/`, no `..`).
 * @throws {ModelFormatError} a path outside the directory, a file that is not regular, sizes over the bounds.
 * @example
 * import { mkdir, writeFile } from 'node:fs/promises';
 * // tensorflowjs_converter's output for a Keras encoder (model.json trimmed to its weight manifest) and its shard:
 * const weights = [{ name: 'z_mean/kernel', shape: [4, 2], dtype: 'float32' }, { name: 'z_mean/bias', shape: [2], dtype: 'float32' }];
 * await mkdir('keras-vae/encoder', { recursive: true });
 * await writeFile('keras-vae/encoder/model.json', JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights }] }));
 * await writeFile('keras-vae/encoder/group1-shard1of1.bin', new Uint8Array(4 * (8 + 2)));
 * const encoder = await readTfjsLayersModel('keras-vae/encoder/model.json');
 * encoder.weights.byteLength; // 40: the manifest's shards, concatenated
 */
export async function readTfjsLayersModel(modelJsonFile: string): Promise<TfjsLayersModel> {
  const fn = 'readTfjsLayersModel';
  const text = new TextDecoder().decode(await readRegular(fn, modelJsonFile, MAX_MODEL_JSON_BYTES));
  let modelJson: { weightsManifest?: { paths?: unknown }[] };
  try {
    modelJson = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(fn, `${modelJsonFile} is not JSON`, 'a model.json', (error as Error).message);
  }
  const dir = path.dirname(modelJsonFile);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const group of Array.isArray(modelJson?.weightsManifest) ? modelJson.weightsManifest : []) {
    for (const p of Array.isArray(group?.paths) ? group.paths : []) {
      if (typeof p !== 'string' || p === '' || p.includes('/') || p.includes('\\') || p === '.' || p === '..') {
        throw new ModelFormatError(
          fn,
          'a weight path leaves the model directory',
          'a plain file name',
          JSON.stringify(p),
        );
      }
      const bytes = await readRegular(fn, path.join(dir, p), MAX_WEIGHT_BYTES - total);
      total += bytes.byteLength;
      chunks.push(bytes);
    }
  }
  return { modelJson, weights: concatBytes(chunks) };
}
