import type { io } from '@tensorflow/tfjs-core';
import { checkByteCount, checkWeightsManifest, MAX_MODEL_JSON_BYTES, ModelFormatError, parseJson } from './format.js';

/** The part of a DOM `File` the check uses (models compiles without the DOM lib). */
interface FileLike {
  name?: unknown;
  size?: unknown;
  text?: unknown;
}

/** tfjs's `basename`: the part after the last '/'. */
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/**
 * Checks the files of a `tf.io.browserFiles([jsonFile, ...weightsFiles])` handler before tfjs reads them (any
 * other handler passes through):
 * - the JSON file has at most {@link MAX_MODEL_JSON_BYTES} bytes (`File.size`) and is JSON. (tfjs parses it inside
 *   a `FileReader` callback, where a syntax error escapes its promise, which then never settles: a user who picks
 *   the weights file first, or a truncated model.json, would wait forever);
 * - its `weightsManifest` is well formed, and for each group the picked files its paths name (by basename, as
 *   tfjs matches them) have `File.size`s adding up to the group's bytes, so no file is read that is longer or
 *   shorter than the manifest says. A path with no picked file is left to tfjs's own error.
 * @throws {ModelFormatError} naming the file, with the expected and found bytes.
 *
 * @example
 * // The two files an <input type="file" multiple> picked (File is global in browsers and Node ≥ 20):
 * const weightsManifest = [{ paths: ['./my-vae.weights.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }];
 * const jsonFile = new File([JSON.stringify({ modelTopology: {}, weightsManifest })], 'my-vae.json');
 * const weightsFile = new File([new Float32Array(2)], 'my-vae.weights.bin'); // 8 bytes, as the manifest says
 * await checkUploadedFiles('loadModel', tf.io.browserFiles([jsonFile, weightsFile])); // before handler.load()
 */
export async function checkUploadedFiles(fn: string, handler: io.IOHandler): Promise<void> {
  const { jsonFile, weightsFiles } = handler as { jsonFile?: FileLike; weightsFiles?: FileLike[] };
  if (!jsonFile || typeof jsonFile.text !== 'function') return;
  const name = String(jsonFile.name);
  if (typeof jsonFile.size === 'number' && jsonFile.size > MAX_MODEL_JSON_BYTES) {
    throw new ModelFormatError(
      fn,
      `${name} is too large`,
      `at most ${MAX_MODEL_JSON_BYTES} bytes`,
      `${jsonFile.size} bytes`,
    );
  }
  const json = parseJson(fn, name, await (jsonFile.text as () => Promise<string>).call(jsonFile)) as {
    weightsManifest?: unknown;
  } | null;
  if (!Array.isArray(weightsFiles) || weightsFiles.length === 0 || json === null || typeof json !== 'object') return;
  if (json.weightsManifest === undefined) return; // tfjs names the missing manifest
  const manifest = checkWeightsManifest(fn, name, json.weightsManifest);
  const byName = new Map(weightsFiles.map((f) => [basename(String(f.name)), f]));
  for (const group of manifest) {
    const files = group.paths.map((p) => byName.get(basename(p)));
    if (files.some((f) => f === undefined || typeof f.size !== 'number')) continue;
    const size = files.reduce((s, f) => s + (f!.size as number), 0);
    checkByteCount(fn, group.weights, size, `weights file ${group.paths.map(basename).join(' + ')}`);
  }
}
