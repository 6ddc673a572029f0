/// <reference types="node" />
import * as nodeFs from 'node:fs/promises';
import * as path from 'node:path';
import { ValueError } from '@latentlab/core';
import { io } from '@tensorflow/tfjs-core';
import { concatBuffers, FORMAT_VERSION, ModelFormatError, parseJson, totalBytes } from './format.js';

/** The part of `node:fs/promises` the handler uses (injectable, e.g. to fail a write on purpose in a test). */
export interface FileSystemLike {
  open(
    file: string,
    flags: 'w',
  ): Promise<{
    writeFile(data: Uint8Array | string): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  readFile(file: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true }): Promise<string | undefined>;
  readdir(dir: string): Promise<string[]>;
  rm(file: string, options: { force: true }): Promise<void>;
}

/** The JSON file of a checkpoint directory. */
export const MODEL_JSON = 'model.json';

interface ModelJson {
  formatVersion?: number;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: io.WeightsManifestConfig;
}

let counter = 0;

/**
 * A tfjs IO handler for a directory on the Node file system: `model.json` (topology, `formatVersion`, weight
 * manifest) and one weights file `weights.<id>.bin`. Saving never destroys the previous checkpoint: the new
 * weights file is written and fsynced first, then `model.json.tmp`, fsynced and renamed over `model.json`
 * (atomic on POSIX file systems), then the directory is fsynced and the old weights file removed. A crash at
 * any point leaves a complete, loadable checkpoint (the old or the new one). Loading checks every byte count
 * and throws a {@link ModelFormatError} for a missing file, corrupted JSON, an unknown version or short data.
 * Loading also takes the path of a model JSON file, its weights files read from beside it: the two files a
 * browser saved through `'downloads://my-vae'` (tfjs's browserDownloads handler) load with
 * `fileSystem('Downloads/my-vae.json')` (and `model.json` + `model.weights.bin` with the directory).
 *
 * @example
 * import { fileSystem } from '@latentlab/models/node';
 * await saveModel(vae, fileSystem('runs/vae-mnist'));
 * const { model } = await loadModel(fileSystem('runs/vae-mnist')); // or loadModel('file://runs/vae-mnist')
 * const { model: fromBrowser } = await loadModel(fileSystem('Downloads/my-vae.json')); // + my-vae.weights.bin
 */
export function fileSystem(dir: string, fs: FileSystemLike = nodeFs as unknown as FileSystemLike): io.IOHandler {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new ValueError('fileSystem', 'dir is not a path', 'a directory path', String(dir));
  }
  const jsonPath = path.join(dir, MODEL_JSON);
  const writeDurably = async (file: string, data: Uint8Array | string) => {
    const handle = await fs.open(file, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      await fs.mkdir(dir, { recursive: true });
      const weightsName = `weights.${Date.now().toString(36)}-${process.pid}-${counter++}.bin`;
      const raw = artifacts.weightData;
      const data = raw === undefined ? new ArrayBuffer(0) : Array.isArray(raw) ? concatBuffers(raw) : raw;
      const previous = (await fs.readdir(dir)).filter((f) => /^weights\..*\.bin$/.test(f));
      const weightsTmp = path.join(dir, `${weightsName}.tmp`);
      await writeDurably(weightsTmp, new Uint8Array(data));
      await fs.rename(weightsTmp, path.join(dir, weightsName));
      const json: ModelJson = {
        formatVersion: FORMAT_VERSION,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      const jsonTmp = `${jsonPath}.tmp`;
      await writeDurably(jsonTmp, JSON.stringify(json));
      await fs.rename(jsonTmp, jsonPath);
      await syncDir(dir);
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
      let [file, base] = [jsonPath, dir];
      let raw: Uint8Array | undefined;
      let failure: unknown;
      try {
        raw = await fs.readFile(jsonPath);
      } catch (error) {
        failure = error;
      }
      if (raw === undefined && dir.endsWith('.json')) {
        try {
          raw = await fs.readFile(dir);
          [file, base] = [dir, path.dirname(dir)];
        } catch {
          // Report the directory's model.json below.
        }
      }
      if (raw === undefined) {
        throw new ModelFormatError(
          fn,
          `cannot read ${dir.endsWith('.json') ? `${dir} or ${jsonPath}` : jsonPath}`,
          'a saved model directory or a model JSON file',
          String(failure),
        );
      }
      const json = parseJson(fn, file, new TextDecoder().decode(raw)) as ModelJson;
      // tfjs's own model.json (written by 'downloads://' in a browser) has no top-level formatVersion: the one
      // inside modelTopology is checked for every handler by loadModel.
      if (
        json === null ||
        typeof json !== 'object' ||
        (json.formatVersion !== undefined && json.formatVersion !== FORMAT_VERSION)
      ) {
        throw new ModelFormatError(
          fn,
          `${file} has an unknown format version`,
          `formatVersion ${FORMAT_VERSION}`,
          String(json?.formatVersion),
        );
      }
      if (!Array.isArray(json.weightsManifest)) {
        throw new ModelFormatError(
          fn,
          `${file} has no weightsManifest`,
          'a weights manifest',
          typeof json.weightsManifest,
        );
      }
      const specs: io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        const groupBuffers: ArrayBuffer[] = [];
        for (const shard of group.paths) {
          const shardPath = path.join(base, shard);
          let bytes: Uint8Array;
          try {
            bytes = await fs.readFile(shardPath);
          } catch (error) {
            throw new ModelFormatError(
              fn,
              `weights file ${shard} is missing or unreadable`,
              `${totalBytes(group.weights)} bytes in ${group.paths.join(', ')}`,
              String((error as NodeJS.ErrnoException).code ?? error),
            );
          }
          groupBuffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
        buffers.push(...groupBuffers);
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

  async function syncDir(d: string): Promise<void> {
    if (fs !== (nodeFs as unknown as FileSystemLike)) return;
    try {
      const handle = await nodeFs.open(d, 'r');
      await handle.sync().finally(() => handle.close());
    } catch {
      // Some platforms (Windows) cannot fsync a directory; the renames are still atomic.
    }
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
