import { concatBytes, LatentlabError } from '@latentlab/core';
import type { io } from '@tensorflow/tfjs-core';
import type { AutoencoderConfig, VaeConfig } from '../config.js';
import type { OptimizerConfig } from '../optimizers.js';
import type { PcaConfig } from '../pca/pca.js';
import type { TrainState } from '../training/train-state.js';
import type { VaeNoiseState } from '../vae.js';
import { crc32 } from './crc32.js';

/** Version of the saved layout; {@link loadModel} rejects any other with a {@link ModelFormatError}. */
export const FORMAT_VERSION = 1;
/** The `format` field of every artifact we write. */
export const FORMAT_NAME = 'latentlab';

/**
 * A saved model cannot be read: corrupted JSON, an unknown format version, a weight whose bytes, dtype or
 * shape differ from its manifest or the model, a missing weights file. Names the file or weight, the expected
 * and the found value (e.g. byte counts).
 */
export class ModelFormatError extends LatentlabError {
  override name = 'ModelFormatError';
}

/** Which model a checkpoint holds. */
export type ModelKind = 'vae' | 'autoencoder' | 'pca';

/** PCA's fitted parameters besides the float64 arrays (which are stored as weights). */
export interface PcaState {
  solver: 'exact' | 'randomized';
  n: number;
  d: number;
  k: number;
  totalVariance: number;
}

/** What `modelTopology` holds (JSON). */
export interface LatentlabTopology {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  kind: ModelKind;
  config: VaeConfig | AutoencoderConfig | PcaConfig;
  /** PCA only, null before fit. */
  pca: PcaState | null;
  /** The optimizer config and the model-weight name of every slot (null when none was saved). */
  optimizer: { config: OptimizerConfig | null; iterations: boolean } | null;
  /** The trainer's progress (null when none was saved); `bestValue` ∞ is written as null. */
  training: (Omit<TrainState, 'bestValue'> & { bestValue: number | null }) | null;
  /**
   * VAE only: the positions of its noise streams (`Vae.noiseState`) when saved. Absent in files of earlier
   * builds, whose loaders replay `training.trainRows` / `evalRows` rows of noise instead (the same positions).
   */
  noise?: VaeNoiseState | null;
  /**
   * CRC-32 (as zlib's) of the weight data, all weights in manifest order. `checkArtifacts` recomputes
   * it, so a file whose bytes changed but not its length is refused. Absent in files of earlier builds, which
   * load unchecked.
   */
  weightDataCrc32?: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4 };

/**
 * Checks artifacts read by any handler against their weight manifest: the topology is ours with the current
 * version, every spec has a known dtype and a valid shape, the weight bytes add up, and their CRC-32 is the
 * saved one (when the file has one).
 * @throws {ModelFormatError} naming `fn` and the first bad field or weight (expected vs found bytes or CRC-32).
 */
export function checkArtifacts(
  fn: string,
  artifacts: io.ModelArtifacts | undefined,
): {
  topology: LatentlabTopology;
  specs: io.WeightsManifestEntry[];
  data: ArrayBuffer;
} {
  if (!artifacts || typeof artifacts !== 'object') {
    throw new ModelFormatError(fn, 'the handler returned no artifacts', 'model artifacts', String(artifacts));
  }
  const topology = artifacts.modelTopology as LatentlabTopology | undefined;
  if (!topology || typeof topology !== 'object' || topology.format !== FORMAT_NAME) {
    throw new ModelFormatError(
      fn,
      'the model topology is not a Latentlab model',
      `{ format: '${FORMAT_NAME}', formatVersion, kind, config }`,
      JSON.stringify(topology)?.slice(0, 120) ?? String(topology),
    );
  }
  if (topology.formatVersion !== FORMAT_VERSION) {
    throw new ModelFormatError(
      fn,
      'unknown format version',
      `formatVersion ${FORMAT_VERSION}`,
      String(topology.formatVersion),
    );
  }
  if (!['vae', 'autoencoder', 'pca'].includes(topology.kind)) {
    throw new ModelFormatError(fn, 'unknown model kind', "'vae' | 'autoencoder' | 'pca'", String(topology.kind));
  }
  const specs = artifacts.weightSpecs ?? [];
  const raw = artifacts.weightData;
  const data = raw === undefined ? new ArrayBuffer(0) : Array.isArray(raw) ? concatBuffers(raw) : raw;
  checkByteCount(fn, specs, data.byteLength);
  // Checked when the artifacts carry weights: with none at all (a weights file not picked), the missing weights
  // are named later, which says more.
  const saved = topology.weightDataCrc32;
  if (saved !== undefined && specs.length > 0) {
    if (!Number.isInteger(saved) || saved < 0 || saved > 0xffffffff) {
      throw new ModelFormatError(fn, 'weightDataCrc32 is not a CRC-32', 'an integer in [0, 2³² − 1]', String(saved));
    }
    const found = crc32(new Uint8Array(data));
    if (found !== saved) {
      throw new ModelFormatError(
        fn,
        'the weight data is corrupted: its CRC-32 is not the one saved with it',
        `CRC-32 ${hex32(saved)}`,
        `CRC-32 ${hex32(found)} over ${data.byteLength} bytes`,
      );
    }
  }
  return { topology, specs, data };
}

/**
 * Checks weight specs against a byte count (of the weight data, or of the files about to be read): every spec
 * has a known dtype and a shape of safe integers ≥ 0, and their bytes add up to exactly `byteLength`. `where`
 * names the bytes in the error (`'the weight data'`, `'weights file weights.x.bin'`).
 * @throws {ModelFormatError} naming the weight the data ends inside (expected vs found bytes), or saying it is
 * longer than its manifest.
 *
 * @example
 * const { weightSpecs: specs, weightData } = await modelToArtifacts(new Vae({ latentDim: 2 }));
 * const file = { size: (weightData as ArrayBuffer).byteLength }; // a weights file's size from fstat
 * checkByteCount('loadModel', specs, file.size); // before a byte of the file is read
 */
export function checkByteCount(
  fn: string,
  specs: readonly io.WeightsManifestEntry[],
  byteLength: number,
  where = 'the weight data',
): void {
  let offset = 0;
  for (const spec of specs) {
    const bytes = BYTES[spec?.dtype];
    if (bytes === undefined) {
      throw new ModelFormatError(
        fn,
        `weight '${spec?.name}' has an unsupported dtype`,
        'float32 or int32',
        String(spec?.dtype),
      );
    }
    if (!Array.isArray(spec.shape) || !spec.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      throw new ModelFormatError(
        fn,
        `weight '${spec.name}' has a bad shape`,
        'a list of integers ≥ 0',
        JSON.stringify(spec.shape),
      );
    }
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytes;
    if (offset + size > byteLength) {
      throw new ModelFormatError(
        fn,
        `${where} ends inside weight '${spec.name}' (${spec.dtype} [${spec.shape.join(', ')}])`,
        `${size} bytes at offset ${offset} (${totalBytes(specs)} bytes in all)`,
        `${Math.max(0, byteLength - offset)} bytes (${byteLength} in all)`,
      );
    }
    offset += size;
  }
  if (offset !== byteLength) {
    throw new ModelFormatError(fn, `${where} is longer than its manifest`, `${offset} bytes`, `${byteLength} bytes`);
  }
}

/**
 * The most bytes a model JSON file (`model.json`, or the `name.json` of a browser download) may have: 16 MiB.
 * Topology, config, weight manifest, noise state and a training history of ~250 bytes per epoch fit many times
 * over; a larger file is refused before it is read.
 */
export const MAX_MODEL_JSON_BYTES = 16 * 2 ** 20;

/**
 * Checks the shape of a `weightsManifest` (tfjs's `WeightsManifestConfig`): an array of groups, each with
 * `paths` (non-empty strings) and `weights` (objects with a string `name` and an array `shape`). Dtypes and shapes are checked by
 * {@link checkByteCount}.
 * @throws {ModelFormatError} naming `file` and the first malformed entry.
 */
export function checkWeightsManifest(fn: string, file: string, manifest: unknown): io.WeightsManifestConfig {
  const bad = (what: string, found: unknown): never => {
    throw new ModelFormatError(
      fn,
      `${file} has a malformed weightsManifest (${what})`,
      '[{ paths: [file names], weights: [{ name, dtype, shape }] }]',
      (JSON.stringify(found) ?? String(found)).slice(0, 120),
    );
  };
  if (!Array.isArray(manifest)) return bad('not an array', manifest);
  for (const group of manifest) {
    if (group === null || typeof group !== 'object') bad('a group is not an object', group);
    const { paths, weights } = group as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.length > 0)) bad('paths', paths);
    if (!Array.isArray(weights)) bad('weights', weights);
    for (const w of weights as unknown[]) {
      const { name, shape } = (w ?? {}) as { name?: unknown; shape?: unknown };
      if (typeof name !== 'string' || !Array.isArray(shape)) bad('a weight', w);
    }
  }
  return manifest as io.WeightsManifestConfig;
}

/** Bytes of every weight of a manifest. */
export function totalBytes(specs: readonly io.WeightsManifestEntry[]): number {
  return specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.dtype] ?? 4), 0);
}

/** The buffers end to end in one new buffer (tfjs weight data given as a list). */
export function concatBuffers(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  return concatBytes(buffers.map((b) => new Uint8Array(b))).buffer as ArrayBuffer;
}

/** `0x` and 8 hex digits. */
function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** Parses JSON text, turning a syntax error into a {@link ModelFormatError} naming the file. */
export function parseJson(fn: string, file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(fn, `${file} is not valid JSON`, 'a JSON document', (error as Error).message);
  }
}
