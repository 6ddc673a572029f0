import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@latentlab/core/node';
import {
  type Autoencoder,
  DEFAULT_OPTIMIZER_CONFIG,
  ModelFormatError,
  type OptimizerConfig,
  Pca,
  saveModel,
  Vae,
} from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import type { InteropConfig } from '../export/to-safetensors.js';
import { type ImportSafetensorsOptions, importSafetensors } from '../import/import-safetensors.js';
import { readSafetensorsFile } from './read-file.js';

/** The `run.json` of a run directory (as `latentlab train` writes it). */
export interface RunInfo {
  model: 'vae' | 'ae' | 'linear-ae' | 'pca';
  dataset: string;
  limit: number | null;
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
}

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
 * await importRun('vae.safetensors', 'runs/imported-vae', { dataset: 'mnist', epochs: 10 });
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
    await writeFileAtomic(path.join(outDir, 'run.json'), `${JSON.stringify(info, null, 2)}\n`, 'importRun');
    return info;
  } finally {
    model.dispose();
  }
}

/** The interop config file beside the weights (≤ 1 MB of JSON), or undefined when there is none. */
async function readConfigFile(file: string): Promise<InteropConfig | undefined> {
  const fn = 'importRun';
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return undefined;
  if (info.size > 1024 ** 2)
    throw new ModelFormatError(fn, `${file} is too large`, '≤ 1 MB of JSON', `${info.size} bytes`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as InteropConfig;
  } catch (error) {
    throw new ModelFormatError(fn, `${file} is not JSON`, 'the interop config', (error as Error).message);
  }
}
