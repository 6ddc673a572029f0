/**
 * Files the user hands the playground (a CSV, a model's `.json` + `.weights.bin`, a `.safetensors` model) are hostile until checked: each
 * one's size (`File.size`, known without reading a byte) is checked before it is read, so a huge or lying file costs
 * nothing. A CSV may hold at most {@link UPLOAD_LIMITS}`.csvBytes`; a model's JSON at most `modelJsonBytes`; its
 * manifest may describe at most `weightBytes` of weights, and the weights files must hold exactly what the manifest
 * describes (Σ over a group's shards of `File.size` = Σ over its weights of 4 · ∏ shape) before any is read; a
 * `.safetensors` file at most `safetensorsBytes` (safetensors-upload.ts).
 *
 * @example
 * ```ts
 * const text = await readCsvUpload(file); // CsvFormatError "too large" for a file over 32 MiB, nothing read
 * const artifacts = await readModelUpload([jsonFile, weightsFile]); // ModelFileError on any mismatch
 * ```
 */
import { CsvFormatError } from '@latentlab/data';
import type { io } from '@tensorflow/tfjs-core';
import { ModelFileError } from './model-file-error.js';

const MiB = 1024 * 1024;

/** The largest files the playground reads, in bytes. */
export interface UploadLimits {
  /** An uploaded CSV file (its text, the parsed float64 table and the float32 features all live in the worker). */
  csvBytes: number;
  /** A model's `.json` (settings plus up to a million loss values per curve). */
  modelJsonBytes: number;
  /** All weights a manifest may describe (the largest playground model with its Adam state is a few MB). */
  weightBytes: number;
  /** An uploaded `.safetensors` model (pytorch/examples' 784-400-20 VAE is 2.6 MB; read whole into the worker). */
  safetensorsBytes: number;
}

export const UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  csvBytes: 32 * MiB,
  modelJsonBytes: 64 * MiB,
  weightBytes: 256 * MiB,
  safetensorsBytes: 256 * MiB,
});

export const inMiB = (bytes: number) => `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB`;

/** The text of an uploaded CSV file, read only when `file.size` is within `maxBytes`. */
export async function readCsvUpload(file: File, maxBytes = UPLOAD_LIMITS.csvBytes): Promise<string> {
  if (file.size > maxBytes) {
    throw new CsvFormatError(
      'loadData',
      'the CSV file is too large',
      `at most ${maxBytes} bytes (${inMiB(maxBytes)})`,
      `${file.size} bytes`,
      { source: file.name },
    );
  }
  return file.text();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const label = (v: unknown) => String(v).slice(0, 60);

/**
 * Bytes the weight specs of a manifest describe: Σ 4 · ∏ shape (float32 and int32 only, no quantization). Every
 * dimension must be a non-negative safe integer, and the total at most `maxBytes`, before anything is allocated.
 */
export function weightBytes(specs: unknown, maxBytes = UPLOAD_LIMITS.weightBytes): number {
  if (!Array.isArray(specs)) throw new ModelFileError('its weights manifest is not a list');
  let total = 0;
  for (const spec of specs as unknown[]) {
    if (!isObject(spec) || typeof spec.name !== 'string')
      throw new ModelFileError('its weights manifest holds an entry without a name');
    if ((spec.dtype !== 'float32' && spec.dtype !== 'int32') || spec.quantization !== undefined)
      throw new ModelFileError(`weight ${label(spec.name)} has an unsupported type`);
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new ModelFileError(`weight ${label(spec.name)} has no valid shape (${label(JSON.stringify(shape))})`);
    total += shape.reduce((size: number, d: number) => size * d, 4);
    if (!(total <= maxBytes))
      throw new ModelFileError(`its manifest describes more than ${inMiB(maxBytes)} of weights`);
  }
  return total;
}

/** The last part of a manifest path (tf.io's browser files match shards to uploads by it). */
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Reads the `.json` + `.weights.bin` files of a download (the layout of tf.io's browser downloads): every size is
 * checked first — the JSON against `modelJsonBytes`, the manifest against `weightBytes`, each group's shards
 * against the bytes its weights need — and only then are the files read. Files the manifest does not name, and
 * names it lists twice or misses, are refused.
 */
export async function readModelUpload(
  files: readonly File[],
  limits: Readonly<UploadLimits> = UPLOAD_LIMITS,
): Promise<io.ModelArtifacts> {
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  const json = jsons[0];
  if (!json || jsons.length > 1) throw new ModelFileError('choose one .json file and its .weights.bin file together');
  if (json.size > limits.modelJsonBytes) {
    throw new ModelFileError(
      `${json.name} holds ${json.size} bytes, more than the ${limits.modelJsonBytes} (${inMiB(limits.modelJsonBytes)}) a model file may have`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await json.text());
  } catch {
    throw new ModelFileError(`${json.name} is not valid JSON`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.weightsManifest) || parsed.weightsManifest.length === 0)
    throw new ModelFileError(`${json.name} has no weightsManifest`);
  const byName = new Map(files.filter((f) => f !== json).map((f) => [f.name, f]));
  const shards: File[] = [];
  const used = new Set<File>();
  const weightSpecs: io.WeightsManifestEntry[] = [];
  let described = 0;
  for (const group of parsed.weightsManifest as unknown[]) {
    if (!isObject(group) || !Array.isArray(group.paths) || !group.paths.every((p) => typeof p === 'string'))
      throw new ModelFileError(`${json.name} has a weights group without paths`);
    const bytes = weightBytes(group.weights, limits.weightBytes);
    described += bytes;
    if (described > limits.weightBytes)
      throw new ModelFileError(`its manifest describes more than ${inMiB(limits.weightBytes)} of weights`);
    const groupFiles = (group.paths as string[]).map((path) => {
      const file = byName.get(baseName(path));
      if (!file)
        throw new ModelFileError(`${json.name} names ${label(baseName(path))}: choose it together with the .json`);
      if (used.has(file)) throw new ModelFileError(`${json.name} names ${label(file.name)} twice`);
      used.add(file);
      return file;
    });
    const held = groupFiles.reduce((sum, f) => sum + f.size, 0);
    if (held !== bytes) {
      throw new ModelFileError(
        `${groupFiles.map((f) => f.name).join(', ')} ${groupFiles.length === 1 ? 'holds' : 'hold'} ${held} bytes, ${json.name} describes ${bytes}`,
      );
    }
    shards.push(...groupFiles);
    weightSpecs.push(...(group.weights as io.WeightsManifestEntry[]));
  }
  const extra = [...byName.values()].find((f) => !used.has(f));
  if (extra) throw new ModelFileError(`${extra.name} is not named in ${json.name}`);
  // Every size is known to match: now read, into one buffer of exactly `described` bytes.
  const weightData = new Uint8Array(described);
  let offset = 0;
  for (const file of shards) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.byteLength !== file.size) throw new ModelFileError(`${file.name} changed while it was read`);
    weightData.set(bytes, offset);
    offset += bytes.byteLength;
  }
  return {
    modelTopology: parsed.modelTopology as object,
    weightSpecs,
    weightData: weightData.buffer,
    ...(typeof parsed.format === 'string' ? { format: parsed.format } : {}),
    ...(typeof parsed.generatedBy === 'string' ? { generatedBy: parsed.generatedBy } : {}),
  };
}
