/// <reference types="node" />
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ValueError } from '@latentlab/core';
import { removeStaleTemps, writeFileAtomic } from '@latentlab/core/node';
import { io } from '@tensorflow/tfjs-core';
import { type ConfinedFile, openConfined, readExactly } from './confined-file.js';
import {
  checkByteCount,
  checkWeightsManifest,
  concatBuffers,
  FORMAT_VERSION,
  MAX_MODEL_JSON_BYTES,
  ModelFormatError,
  parseJson,
  totalBytes,
} from './format.js';

/** Options of {@link fileSystem}. */
export interface FileSystemOptions {
  /**
   * How each file is written; default `writeFileAtomic` of `@latentlab/core/node` (exclusive temp file, fsync,
   * rename: never through a link). A test may wrap it to fail a write on purpose.
   */
  writeFile?: (file: string, data: Uint8Array | string) => Promise<void>;
}

/** The JSON file of a checkpoint directory. */
export const MODEL_JSON = 'model.json';

/** The weights file of a save, and the temp names of earlier builds' saves (`weights.*.bin.tmp`, `model.json.tmp`). */
const WEIGHTS = /^weights\..*\.bin$/;
const OLD_TEMPS = /^(weights\..*\.bin|model\.json)\.tmp$/;

interface ModelJson {
  formatVersion?: number;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: io.WeightsManifestConfig;
}

let counter = 0;

const missing = (error: unknown) =>
  error instanceof ModelFormatError && (error.found === 'ENOENT' || error.found === 'ENOTDIR');

/**
 * A tfjs IO handler for a directory on the Node file system: `model.json` (topology, `formatVersion`, weight
 * manifest) and one weights file `weights.<id>.bin`.
 *
 * Saving never destroys the previous checkpoint and never writes through a link: each file goes through
 * `writeFileAtomic` (an exclusive temp file beside it, fsynced, renamed over the target: a symlink planted at
 * the target is replaced, not followed). The new weights file is durable before `model.json` is swapped, and
 * the old weights file is removed after, so a crash at any point leaves a complete, loadable checkpoint (the old
 * or the new one). Each save first removes what killed saves left: temp files of dead writers
 * (`removeStaleTemps`) and the `weights.*.bin.tmp` / `model.json.tmp` of earlier builds.
 *
 * Loading treats the directory as untrusted: `model.json` is a regular file of at most
 * {@link MAX_MODEL_JSON_BYTES}; every path of its weight manifest must resolve (after symlinks) to a regular file
 * inside the directory (no absolute paths, `../`, links out, devices, FIFOs or directories; see `openConfined`);
 * the files' sizes (`fstat` of the open descriptors) must equal the manifest's bytes before a byte is read, and no
 * more than that is read. Every failure is a {@link ModelFormatError} naming the file and why.
 * Loading also takes the path of a model JSON file, its weights files read from beside it: the two files a
 * browser saved through `'downloads://my-vae'` (tfjs's browserDownloads handler) load with
 * `fileSystem('Downloads/my-vae.json')` (and `model.json` + `model.weights.bin` with the directory).
 *
 * @example
 * import { fileSystem } from '@latentlab/models/node';
 * const vae = new Vae({ latentDim: 2 });
 * await saveModel(vae, fileSystem('runs/vae-mnist'));
 * const { model } = await loadModel(fileSystem('runs/vae-mnist')); // or loadModel('file://runs/vae-mnist')
 * await saveModel(vae, fileSystem('Downloads/my-vae.json')); // the pair `saveModel(vae, 'downloads://my-vae')` gives
 * const { model: fromBrowser } = await loadModel(fileSystem('Downloads/my-vae.json')); // + my-vae.weights.bin
 */
export function fileSystem(dir: string, options: FileSystemOptions = {}): io.IOHandler {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new ValueError('fileSystem', 'dir is not a path', 'a directory path', String(dir));
  }
  const write = options.writeFile ?? ((file, data) => writeFileAtomic(file, data, 'fileSystem.save'));
  const jsonPath = path.join(dir, MODEL_JSON);
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      await fs.mkdir(dir, { recursive: true });
      await removeLeftovers(dir);
      const weightsName = `weights.${Date.now().toString(36)}-${process.pid}-${counter++}.bin`;
      const raw = artifacts.weightData;
      const data = raw === undefined ? new ArrayBuffer(0) : Array.isArray(raw) ? concatBuffers(raw) : raw;
      const previous = (await fs.readdir(dir)).filter((f) => WEIGHTS.test(f));
      await write(path.join(dir, weightsName), new Uint8Array(data));
      const json: ModelJson = {
        formatVersion: FORMAT_VERSION,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      await write(jsonPath, JSON.stringify(json));
      for (const old of previous) await fs.rm(path.join(dir, old), { force: true });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
          weightDataBytes: data.byteLength,
        },
      };
    },

    async load(): Promise<io.ModelArtifacts> {
      const fn = 'fileSystem.load';
      // `dir/model.json`, or `dir` itself when it names a JSON file (e.g. my-vae.json from 'downloads://my-vae').
      let opened: { file: ConfinedFile; shown: string; base: string } | undefined;
      try {
        opened = { file: await openConfined(fn, dir, MODEL_JSON, 'model file'), shown: jsonPath, base: dir };
      } catch (error) {
        if (!missing(error)) throw error;
        if (dir.endsWith('.json')) {
          const base = path.dirname(dir);
          try {
            opened = { file: await openConfined(fn, base, path.basename(dir), 'model file'), shown: dir, base };
          } catch (inner) {
            if (!missing(inner)) throw inner;
          }
        }
        if (!opened) {
          throw new ModelFormatError(
            fn,
            `cannot read ${dir.endsWith('.json') ? `${dir} or ${jsonPath}` : jsonPath}`,
            'a saved model directory or a model JSON file',
            String((error as ModelFormatError).found),
          );
        }
      }
      const { file, shown, base } = opened;
      let raw: Uint8Array;
      try {
        if (file.size > MAX_MODEL_JSON_BYTES) {
          throw new ModelFormatError(
            fn,
            `${shown} is too large`,
            `at most ${MAX_MODEL_JSON_BYTES} bytes`,
            `${file.size} bytes`,
          );
        }
        raw = await readExactly(fn, file);
      } finally {
        await file.handle.close();
      }
      const json = parseJson(fn, shown, new TextDecoder().decode(raw)) as ModelJson;
      // tfjs's own model.json (written by 'downloads://' in a browser) has no top-level formatVersion: the one
      // inside modelTopology is checked for every handler by loadModel.
      if (
        json === null ||
        typeof json !== 'object' ||
        (json.formatVersion !== undefined && json.formatVersion !== FORMAT_VERSION)
      ) {
        throw new ModelFormatError(
          fn,
          `${shown} has an unknown format version`,
          `formatVersion ${FORMAT_VERSION}`,
          String(json?.formatVersion),
        );
      }
      if (!Array.isArray(json.weightsManifest)) {
        throw new ModelFormatError(
          fn,
          `${shown} has no weightsManifest`,
          'a weights manifest',
          typeof json.weightsManifest,
        );
      }
      const manifest = checkWeightsManifest(fn, shown, json.weightsManifest);
      const specs: io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of manifest) {
        specs.push(...group.weights);
        buffers.push(...(await readGroup(fn, base, group)));
      }
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: concatBuffers(buffers),
      };
    },
  };
}

/**
 * Opens every shard of a manifest group under {@link openConfined}'s rule, checks that their sizes add up to
 * the group's bytes (before reading any), then reads each shard exactly.
 */
async function readGroup(fn: string, base: string, group: io.WeightsManifestConfig[number]): Promise<ArrayBuffer[]> {
  const files: ConfinedFile[] = [];
  try {
    for (const shard of group.paths) {
      try {
        files.push(await openConfined(fn, base, shard));
      } catch (error) {
        if (!missing(error)) throw error;
        throw new ModelFormatError(
          fn,
          `weights file ${shard} is missing or unreadable`,
          `${totalBytes(group.weights)} bytes in ${group.paths.join(', ')}`,
          'ENOENT',
        );
      }
    }
    checkByteCount(
      fn,
      group.weights,
      files.reduce((s, f) => s + f.size, 0),
      `weights file ${group.paths.join(' + ')}`,
    );
    const out: ArrayBuffer[] = [];
    for (const file of files) {
      const bytes = await readExactly(fn, file);
      out.push(bytes.buffer as ArrayBuffer);
    }
    return out;
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
}

/**
 * Removes what killed saves left in `dir`: temp files of `writeFileAtomic` whose writer is gone, and the
 * `weights.*.bin.tmp` / `model.json.tmp` names that earlier builds wrote through (files or links; a link is
 * removed, never followed).
 */
async function removeLeftovers(dir: string): Promise<void> {
  await removeStaleTemps(dir);
  for (const name of await fs.readdir(dir)) {
    if (!OLD_TEMPS.test(name)) continue;
    const stat = await fs.lstat(path.join(dir, name)).catch(() => null);
    if (stat?.isFile() || stat?.isSymbolicLink()) await fs.rm(path.join(dir, name), { force: true });
  }
}

/** `file://dir` URLs for `saveModel` / `loadModel` (registered by importing '@latentlab/models/node'). */
export function fileSystemRouter(url: string | string[]): io.IOHandler {
  if (typeof url !== 'string' || !url.startsWith('file://')) return null as unknown as io.IOHandler; // tfjs routers return null for URLs they do not handle
  return fileSystem(url.slice('file://'.length));
}

let registered = false;
/** Registers {@link fileSystemRouter} with tfjs's save and load registries (once). */
export function registerFileSystemRouter(): void {
  if (registered) return;
  registered = true;
  io.registerSaveRouter(fileSystemRouter);
  io.registerLoadRouter(fileSystemRouter);
}
