/**
 * Saving and loading a training run as tfjs model artifacts (the format of tf.io's IndexedDB, download and
 * file handlers): `modelTopology` is our own JSON (settings, progress, loss history), the weights are the model's
 * variables followed by the Adam state. Loading treats the file as untrusted data: JSON is parsed, every field is
 * checked against a whitelist and ranges, weights must match the model's names and shapes and the CRC-32 saved
 * with them (so a damaged copy of the right length is refused). Nothing is evaluated.
 */
import { artifactsToModel, modelToArtifacts, Pca, Vae, type VaeNoiseState } from '@latentlab/models';
import { crc32 } from '@latentlab/models/internal';
import { dispose, io, type Tensor } from '@tensorflow/tfjs-core';
import { DATASET_LABELS, type DatasetChoice, MODEL_LABELS, type ModelKind, type TrainSettings } from '../protocol.js';
import type { PreparedData } from './datasets.js';
import { adam, Job, type NamedTensor } from './job.js';
import { ModelFileError } from './model-file-error.js';
import { weightBytes } from './uploads.js';

export const FORMAT = 'latentlab-playground-run';
export const IDB_URL = 'indexeddb://latentlab-playground';

export { ModelFileError } from './model-file-error.js';

export interface SavedRun {
  format: typeof FORMAT;
  version: 1;
  dataset: DatasetChoice;
  datasetName: string;
  settings: TrainSettings;
  step: number;
  epoch: number;
  /** Batches of epoch `epoch` already taken and their loss sums (0 / null at an epoch boundary). */
  batch: number;
  partial: { rows: number; total: number; reconstruction: number; kl: number } | null;
  /** A VAE's noise streams (`Vae.noiseState`), so a resumed run draws the ε it would have drawn. */
  noise: VaeNoiseState | null;
  history: { total: number[]; reconstruction: number[]; kl: (number | null)[] };
  modelWeights: number;
  /** CRC-32 (as zlib's) of the weight data; absent in files of earlier builds, which load unchecked. */
  weightDataCrc32?: number;
}

export async function toArtifacts(job: Job, dataset: DatasetChoice): Promise<io.ModelArtifacts> {
  if (job.model instanceof Pca) {
    // A fitted PCA: @latentlab/models' own artifacts (float64 parameters bit for bit) inside the run.
    if (!job.model.isFitted) throw new ModelFileError('fit the PCA first');
    const pca = await modelToArtifacts(job.model);
    return {
      modelTopology: {
        ...runOf(job, dataset, pca.weightSpecs?.length ?? 0, pca.weightData as ArrayBuffer),
        pca: pca.modelTopology,
      } as unknown as object,
      weightSpecs: pca.weightSpecs,
      weightData: pca.weightData,
      format: FORMAT,
      generatedBy: '@latentlab/playground',
    };
  }
  const weights = job.model.getWeights();
  const named: NamedTensor[] = Object.entries(weights).map(([name, tensor]) => ({ name: `model/${name}`, tensor }));
  const opt = job.optimizer ? await job.optimizer.getWeights() : [];
  const all = [...named, ...opt.map((nt, i) => ({ name: `optimizer/${i}/${nt.name}`, tensor: nt.tensor }))];
  const { data, specs } = await io.encodeWeights(all);
  dispose(Object.values(weights));
  if (opt[0]) dispose(opt[0].tensor); // the iteration count is a fresh tensor; the rest are the optimizer's own
  const run = runOf(job, dataset, named.length, data);
  return {
    modelTopology: run as unknown as object,
    weightSpecs: specs,
    weightData: data,
    format: FORMAT,
    generatedBy: '@latentlab/playground',
  };
}

function runOf(job: Job, dataset: DatasetChoice, modelWeights: number, weightData: ArrayBuffer): SavedRun {
  return {
    format: FORMAT,
    version: 1,
    dataset,
    datasetName: job.data.name,
    settings: { ...job.settings },
    step: job.step,
    epoch: job.epoch,
    batch: job.batch,
    partial: job.partial ?? null,
    noise: job.model instanceof Vae ? job.model.noiseState : null,
    history: {
      total: job.history.total,
      reconstruction: job.history.reconstruction,
      kl: job.history.kl.map((v) => (Number.isFinite(v) ? v : null)),
    },
    modelWeights,
    weightDataCrc32: crc32(new Uint8Array(weightData)),
  };
}

const hex32 = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Record<string, unknown>, key: string, lo: number, hi: number, integer = false): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new ModelFileError(
      `${key} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], found ${JSON.stringify(v)?.slice(0, 40)}`,
    );
  }
  return v;
}

function numbers(v: unknown, key: string, allowNull = false): number[] {
  if (!Array.isArray(v) || v.length > 1_000_000) throw new ModelFileError(`history.${key} must be a list of numbers`);
  return v.map((x) => {
    if (allowNull && x === null) return Number.NaN;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelFileError(`history.${key} holds a non-number`);
    return x;
  });
}

/** Checks the untrusted `modelTopology` of a saved run field by field. */
export function parseRun(topology: unknown): SavedRun & { history: { kl: number[] } } {
  if (!isObject(topology) || topology.format !== FORMAT || topology.version !== 1) {
    throw new ModelFileError(`expected format "${FORMAT}" version 1`);
  }
  const dataset = topology.dataset;
  if (typeof dataset !== 'string' || !Object.hasOwn(DATASET_LABELS, dataset))
    throw new ModelFileError('unknown dataset');
  const s = topology.settings;
  if (!isObject(s)) throw new ModelFileError('settings missing');
  if (typeof s.model !== 'string' || !Object.hasOwn(MODEL_LABELS, s.model))
    throw new ModelFileError('unknown model kind');
  const settings: TrainSettings = {
    model: s.model as ModelKind,
    latentDim: num(s, 'latentDim', 1, 256, true),
    beta: num(s, 'beta', 0, 100),
    lossWeightC: num(s, 'lossWeightC', 1e-6, 1e6),
    klWarmupSteps: num(s, 'klWarmupSteps', 0, 1e7, true),
    learningRate: num(s, 'learningRate', 1e-7, 1),
    epochs: num(s, 'epochs', 1, 1000, true),
    batchSize: num(s, 'batchSize', 1, 4096, true),
  };
  const h = topology.history;
  if (!isObject(h)) throw new ModelFileError('history missing');
  return {
    format: FORMAT,
    version: 1,
    dataset: dataset as DatasetChoice,
    datasetName: typeof topology.datasetName === 'string' ? topology.datasetName.slice(0, 200) : String(dataset),
    settings,
    step: num(topology, 'step', 0, 1e9, true),
    epoch: num(topology, 'epoch', 0, settings.epochs, true),
    // Files of earlier builds have neither: an epoch boundary, fresh noise.
    batch: topology.batch === undefined ? 0 : num(topology, 'batch', 0, 1e7, true),
    partial: parsePartial(topology.partial),
    noise: isObject(topology.noise) ? (topology.noise as unknown as VaeNoiseState) : null, // checked by Vae.noiseState
    history: {
      total: numbers(h.total, 'total'),
      reconstruction: numbers(h.reconstruction, 'reconstruction'),
      kl: numbers(h.kl, 'kl', true),
    },
    modelWeights: num(topology, 'modelWeights', 1, 10_000, true),
    ...(topology.weightDataCrc32 === undefined
      ? {}
      : { weightDataCrc32: num(topology, 'weightDataCrc32', 0, 0xffffffff, true) }),
  };
}

function parsePartial(p: unknown): SavedRun['partial'] {
  if (p === undefined || p === null) return null;
  if (!isObject(p)) throw new ModelFileError('partial is not an object');
  return {
    rows: num(p, 'rows', 0, 1e9, true),
    total: num(p, 'total', -1e15, 1e15),
    reconstruction: num(p, 'reconstruction', -1e15, 1e15),
    kl: num(p, 'kl', -1e15, 1e15),
  };
}

/** Rebuilds a job from artifacts (weights, Adam state, step, epoch, history) for data `data`. */
export async function fromArtifacts(artifacts: io.ModelArtifacts, data: PreparedData): Promise<Job> {
  const run = parseRun(artifacts.modelTopology);
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new ModelFileError('no weights');
  let tensors: Record<string, Tensor> = {};
  try {
    const buffer = io.concatenateArrayBuffers(
      Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData as ArrayBuffer],
    );
    const expected = weightBytes(artifacts.weightSpecs);
    if (expected !== buffer.byteLength)
      throw new ModelFileError(`weights hold ${buffer.byteLength} bytes, the manifest describes ${expected}`);
    const found = run.weightDataCrc32 === undefined ? undefined : crc32(new Uint8Array(buffer));
    if (found !== undefined && found !== run.weightDataCrc32)
      throw new ModelFileError(
        `its weights file is damaged (CRC-32 ${hex32(found)}, saved with ${hex32(run.weightDataCrc32!)})`,
      );
    // A PCA's parameters are decoded (and checked as float64) by models' loader in fromPcaArtifacts.
    if (run.settings.model !== 'pca') tensors = io.decodeWeights(buffer, artifacts.weightSpecs);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(
      `its weights cannot be decoded (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (run.settings.model === 'pca') return fromPcaArtifacts(run, artifacts, data);
  const job = new Job(run.settings, data);
  try {
    if (job.model instanceof Pca) throw new ModelFileError('PCA runs are not saved');
    const names = artifacts.weightSpecs.map((w) => w.name);
    const modelWeights = Object.fromEntries(
      names.filter((n) => n.startsWith('model/')).map((n) => [n.slice('model/'.length), tensors[n]!]),
    );
    try {
      job.model.setWeights(modelWeights);
    } catch (error) {
      throw new ModelFileError(
        `its weights do not fit a ${MODEL_LABELS[run.settings.model]} on ${data.name} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const opt = names.filter((n) => n.startsWith('optimizer/'));
    if (opt.length > 0) {
      job.optimizer = adam(run.settings.learningRate);
      await job.optimizer.setWeights(opt.map((n) => ({ name: n.split('/').slice(2).join('/'), tensor: tensors[n]! })));
    }
    job.step = run.step;
    job.epoch = run.epoch;
    job.batch = run.batch;
    job.partial = run.partial;
    if (run.noise && job.model instanceof Vae) {
      try {
        job.model.noiseState = run.noise;
      } catch (error) {
        throw new ModelFileError(
          `its noise state is invalid (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
    job.history.total.push(...run.history.total);
    job.history.reconstruction.push(...run.history.reconstruction);
    job.history.kl.push(...run.history.kl);
    job.state = run.epoch >= run.settings.epochs ? 'done' : 'paused';
    return job;
  } catch (error) {
    job.dispose();
    throw error;
  } finally {
    dispose(Object.values(tensors));
  }
}

/** A saved PCA: @latentlab/models' loader checks its parameters (shapes, bytes, float64 values). */
async function fromPcaArtifacts(run: SavedRun, artifacts: io.ModelArtifacts, data: PreparedData): Promise<Job> {
  const topology = (artifacts.modelTopology as { pca?: unknown }).pca;
  if (!isObject(topology)) throw new ModelFileError('the PCA parameters are missing');
  let model: unknown;
  try {
    ({ model } = await artifactsToModel({ ...artifacts, modelTopology: topology }));
  } catch (error) {
    throw new ModelFileError(`its PCA cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!(model instanceof Pca) || !model.isFitted) throw new ModelFileError('it holds no fitted PCA');
  const d = model.mean.shape[0];
  if (d !== data.d || model.nComponents !== run.settings.latentDim) {
    model.dispose();
    throw new ModelFileError(
      `its PCA (${d} features, ${model.nComponents} components) does not fit ${data.name} with latent size ${run.settings.latentDim}`,
    );
  }
  const job = new Job(run.settings, data, model);
  job.state = 'done';
  return job;
}

export async function saveToIndexedDb(artifacts: io.ModelArtifacts): Promise<void> {
  const handler = io.getSaveHandlers(IDB_URL)[0];
  if (!handler?.save) throw new Error('IndexedDB is not available in this browser');
  await handler.save(artifacts);
}

export async function loadFromIndexedDb(): Promise<io.ModelArtifacts> {
  const handler = io.getLoadHandlers(IDB_URL)[0];
  if (!handler?.load) throw new Error('IndexedDB is not available in this browser');
  try {
    return await handler.load();
  } catch (error) {
    throw new ModelFileError(
      `press Save in browser after training first (${error instanceof Error ? error.message : String(error)})`,
      'Nothing is saved in this browser yet',
    );
  }
}

/** The model.json / weights.bin pair of a run (the layout of tf.io's browserDownloads). */
export function toDownload(artifacts: io.ModelArtifacts, baseName: string): { json: string; weights: ArrayBuffer } {
  const weights = io.concatenateArrayBuffers(
    Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData as ArrayBuffer],
  );
  const json = JSON.stringify({
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    weightsManifest: [{ paths: [`./${baseName}.weights.bin`], weights: artifacts.weightSpecs }],
  });
  return { json, weights };
}
