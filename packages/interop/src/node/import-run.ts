import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { openRegularFile, type RegularFileFailure, readExactly } from '@latentlab/core/node';
import {
  type Autoencoder,
  DEFAULT_OPTIMIZER_CONFIG,
  ModelFormatError,
  type OptimizerConfig,
  Pca,
  saveModel,
  Vae,
} from '@latentlab/models';
import { fileSystem, type RunInfo, writeRunInfo } from '@latentlab/models/node';
import type { InteropConfig } from '../export/to-safetensors.js';
import { type ImportSafetensorsOptions, importSafetensors } from '../import/import-safetensors.js';
import { readSafetensorsFile } from './read-file.js';

/** Options of {@link importRun}. */
export interface ImportRunOptions extends ImportSafetensorsOptions {
  /** The dataset `eval`/`sample`/`report` use (`'mnist'`, `'fashion-mnist'` or a CSV path; default `'mnist'`). */
  dataset?: string;
  /** The epochs the model was trained for elsewhere (recorded in run.json; default 0). */
  epochs?: number;
  /** Batch size recorded in run.json (default 128). */
  batchSize?: number;
}

/**
 * Imports a `.safetensors` file (any layout `importSafetensors` knows; the exporter's `<name>.json` beside it is
 * used when the file's metadata lacks the config) into a run directory that `latentlab eval`, `sample` and
 * `report` use like one trained here: `model.json` + weights (`saveModel(model, fileSystem(outDir))`) and
 * `run.json` ({@link RunInfo}, written atomically). Returns the run info; leaks no tensors.
 *
 * @example
 * import { Vae } from '@latentlab/models';
 * await writeModelSafetensors(new Vae({ inputShape: [4], hiddenUnits: [3], latentDim: 2 }), 'vae.safetensors');
 * await importRun('vae.safetensors', 'runs/imported-vae', { dataset: 'mnist', epochs: 10 });
 * // runs/imported-vae: model.json, its weights and run.json ({ model: 'vae', dataset: 'mnist', epochs: 10, … })
 */
export async function importRun(file: string, outDir: string, options: ImportRunOptions = {}): Promise<RunInfo> {
  const st = await readSafetensorsFile(file);
  const configFile = path.join(path.dirname(file), `${path.basename(file).replace(/\.safetensors$/, '')}.json`);
  let interopConfig = options.interopConfig;
  if (!interopConfig && st.metadata?.latentlab === undefined && configFile !== file) {
    interopConfig = await readConfigFile(configFile);
  }
  const model = importSafetensors(st, { ...options, ...(interopConfig ? { interopConfig } : {}) });
  try {
    const info: RunInfo = {
      model:
        model instanceof Vae
          ? 'vae'
          : model instanceof Pca
            ? 'pca'
            : (model as Autoencoder).config.architecture === 'linear'
              ? 'linear-ae'
              : 'ae',
      dataset: options.dataset ?? 'mnist',
      limit: null,
      epochs: options.epochs ?? 0,
      batchSize: options.batchSize ?? 128,
      seed: model.config.seed,
      optimizer: { ...DEFAULT_OPTIMIZER_CONFIG } as OptimizerConfig,
    };
    await saveModel(model, fileSystem(outDir));
    await writeRunInfo(outDir, info, 'importRun');
    return info;
  } finally {
    model.dispose();
  }
}

/** The largest interop config file read (1 MB of JSON). */
const MAX_CONFIG_BYTES = 1024 ** 2;

/** The interop config file beside the weights (≤ 1 MB of JSON), or undefined when there is none. */
async function readConfigFile(file: string): Promise<InteropConfig | undefined> {
  const fn = 'importRun';
  let absent = false;
  const fail = (f: RegularFileFailure) => {
    absent = f.reason === 'open' || f.reason === 'kind';
    return new ModelFormatError(fn, `${file}: ${f.message}`, f.expected, f.found);
  };
  let opened: { handle: FileHandle; size: number };
  try {
    opened = await openRegularFile(file, { fn, maxBytes: MAX_CONFIG_BYTES, fail });
  } catch (error) {
    // No config file beside the weights (or something that is not one): the metadata or defaults decide.
    if (absent) return undefined;
    throw error;
  }
  let text: string;
  try {
    text = new TextDecoder().decode(await readExactly(opened.handle, { fn, path: file, length: opened.size, fail }));
  } finally {
    await opened.handle.close();
  }
  try {
    return JSON.parse(text) as InteropConfig;
  } catch (error) {
    throw new ModelFormatError(fn, `${file} is not JSON`, 'the interop config', (error as Error).message);
  }
}
