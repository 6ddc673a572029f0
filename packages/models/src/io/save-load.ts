import { ValueError } from '@latentlab/core';
import { dispose, io, type NamedTensorMap, type Optimizer, type Tensor, tensor1d } from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import { type AutoencoderConfig, resolveAutoencoderConfig, resolveVaeConfig, type VaeConfig } from '../config.js';
import { createOptimizer, type OptimizerConfig } from '../optimizers.js';
import { Pca, type PcaConfig } from '../pca/pca.js';
import type { TrainState } from '../training/train-state.js';
import { Vae } from '../vae.js';
import { checkFinite, checkNetworkSpecs, checkNoise, checkTraining } from './check-checkpoint.js';
import { checkPcaState, checkPcaValues } from './check-pca.js';
import { crc32 } from './crc32.js';
import {
  checkArtifacts,
  FORMAT_NAME,
  FORMAT_VERSION,
  type LatentlabTopology,
  ModelFormatError,
  type ModelKind,
  type PcaState,
} from './format.js';
import type { SaveModelOptions } from './save-options.js';
import { checkUploadedFiles } from './uploads.js';
import { advanceVaeNoise } from './vae-noise.js';

/** Every model `saveModel` writes. */
export type SavableModel = Vae | Autoencoder | Pca;

export type { SaveModelOptions } from './save-options.js';

/** What {@link loadModel} returns. */
export interface LoadedModel<M extends SavableModel = SavableModel> {
  kind: ModelKind;
  model: M;
  /** The rebuilt optimizer with its slots restored (the caller disposes it), or null when none was saved. */
  optimizer: Optimizer | null;
  optimizerConfig: OptimizerConfig | null;
  /** The trainer's progress (`train`'s `initialState`), or null. */
  training: TrainState | null;
}

/** float64 values stored bit-exactly as an int32 weight of twice the length. */
type NamedTensor = { name: string; tensor: Tensor };

const float64Weight = (values: Float64Array): Tensor =>
  tensor1d(new Int32Array(Float64Array.from(values).buffer), 'int32');

function kindOf(fn: string, model: SavableModel): ModelKind {
  if (model instanceof Vae) return 'vae';
  if (model instanceof Autoencoder) return 'autoencoder';
  if (model instanceof Pca) return 'pca';
  throw new ValueError(fn, 'model cannot be saved', 'a Vae, Autoencoder or Pca', String(model));
}

function resolveHandler(fn: string, target: io.IOHandler | string, mode: 'save' | 'load'): io.IOHandler {
  if (typeof target !== 'string') {
    if (target && typeof (mode === 'save' ? target.save : target.load) === 'function') return target;
    throw new ValueError(fn, `the target cannot ${mode}`, `a tf.io.IOHandler with ${mode}() or a URL`, String(target));
  }
  const handlers = mode === 'save' ? io.getSaveHandlers(target) : io.getLoadHandlers(target);
  if (handlers.length !== 1) {
    throw new ValueError(
      fn,
      `no single ${mode} handler for this URL`,
      "a URL with a registered scheme ('indexeddb://', 'downloads://', 'file://' after importing '@latentlab/models/node')",
      target,
    );
  }
  return handlers[0]!;
}

/**
 * The artifacts of a model checkpoint: `modelTopology` = JSON of the kind, config, format version, PCA
 * state, optimizer config and training progress; weights `model/<name>` (float32), `optimizer/<weight>/<slot>`
 * (the optimizer's slot variables, renamed from tfjs variable ids to weight names so they load into a new
 * model) and, for PCA, `pca/mean|components|explainedVariance` (float64 bits as int32).
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
 * await vae.fit(tf.randomUniform([8, 784]), { epochs: 1, optimizer });
 * const artifacts = await modelToArtifacts(vae, { optimizer, optimizerConfig: { name: 'adam', learningRate: 1e-3 } });
 * const { model } = await artifactsToModel(artifacts); // a copy
 */
export async function modelToArtifacts(
  model: SavableModel,
  options: SaveModelOptions = {},
  fn = 'modelToArtifacts',
): Promise<io.ModelArtifacts> {
  const kind = kindOf(fn, model);
  const named: NamedTensor[] = [];
  const owned: Tensor[] = [];
  let pca: PcaState | null = null;
  let optimizerMeta: LatentlabTopology['optimizer'] = null;
  try {
    if (model instanceof Pca) {
      if (model.isFitted) {
        const f = model.toParameters();
        const k = f.explainedVariance.length;
        pca = { solver: f.solver, n: f.n, d: f.mean.length, k, totalVariance: f.totalVariance };
        for (const [name, values] of [
          ['pca/mean', f.mean],
          ['pca/components', f.components],
          ['pca/explainedVariance', f.explainedVariance],
        ] as const) {
          const t = float64Weight(values);
          owned.push(t);
          named.push({ name, tensor: t });
        }
      }
    } else {
      const weights = model.getWeights();
      owned.push(...Object.values(weights));
      for (const [name, tensor] of Object.entries(weights)) named.push({ name: `model/${name}`, tensor });
      if (options.optimizer) {
        const byId = new Map(model.trainableVariables.map((v, i) => [v.name, model.weightNames[i]!]));
        let iterations = false;
        for (const { name, tensor } of await options.optimizer.getWeights()) {
          if (name === 'iter') {
            iterations = true;
            owned.push(tensor);
            named.push({ name: 'optimizer/iter', tensor });
            continue;
          }
          const cut = name.lastIndexOf('/');
          const weight = byId.get(name.slice(0, cut));
          if (cut < 0 || weight === undefined) {
            throw new ValueError(fn, 'an optimizer slot belongs to no model variable', 'a slot of the model', name);
          }
          named.push({ name: `optimizer/${weight}/${name.slice(cut + 1)}`, tensor });
        }
        optimizerMeta = { config: options.optimizerConfig ?? null, iterations };
      }
    }
    const { data, specs } = await io.encodeWeights(named);
    const training = options.training
      ? {
          ...options.training,
          bestValue: Number.isFinite(options.training.bestValue) ? options.training.bestValue : null,
        }
      : null;
    const topology: LatentlabTopology = {
      format: FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      kind,
      config: JSON.parse(JSON.stringify(model.config)),
      pca,
      optimizer: optimizerMeta,
      training,
      noise: model instanceof Vae ? model.noiseState : null,
      weightDataCrc32: crc32(new Uint8Array(data)),
    };
    return {
      modelTopology: topology as unknown as io.ModelArtifacts['modelTopology'],
      format: FORMAT_NAME,
      generatedBy: '@latentlab/models',
      convertedBy: null,
      weightSpecs: specs,
      weightData: data,
    };
  } finally {
    dispose(owned);
  }
}

/**
 * Saves a model (and optionally its optimizer and training progress) through a tfjs IO handler or URL:
 * `tf.io.withSaveHandler`, `'indexeddb://name'`, `'downloads://name'`, `fileSystem(dir)` from
 * '@latentlab/models/node' (or `'file://dir'` after importing it). See {@link modelToArtifacts} for the layout.
 * Leaks no tensors.
 *
 * @example
 * // 'file://' in Node; a browser has 'indexeddb://vae-mnist' and 'downloads://vae-mnist'
 * import '@latentlab/models/node';
 * const vae = new Vae({ latentDim: 2 });
 * await vae.fit(tf.randomUniform([8, 784]), { epochs: 1 });
 * await saveModel(vae, 'file://runs/vae-mnist', { optimizer: vae.optimizer, optimizerConfig: { name: 'adam', learningRate: 1e-3 } });
 * const { model } = await loadModel('file://runs/vae-mnist');
 */
export async function saveModel(
  model: SavableModel,
  target: io.IOHandler | string,
  options: SaveModelOptions = {},
): Promise<io.SaveResult> {
  const fn = 'saveModel';
  const handler = resolveHandler(fn, target, 'save');
  return handler.save!(await modelToArtifacts(model, options, fn));
}

/** Options of {@link loadModel} and {@link artifactsToModel}. */
export interface LoadModelOptions {
  /**
   * Load weights that hold NaN or ±∞ instead of refusing them (for debugging a diverged run); default false, so a
   * non-finite weight is a {@link ModelFormatError} naming it.
   */
  allowNonFinite?: boolean;
}

/**
 * Reads a checkpoint written by {@link saveModel} through a handler or URL, see {@link artifactsToModel}; a
 * handler that fails to read becomes a {@link ModelFormatError}. In a browser, the files that
 * `saveModel(m, 'downloads://name')` downloaded load through `tf.io.browserFiles([jsonFile, weightsFile])`;
 * their sizes are checked against the manifest before tfjs reads them (see `checkUploadedFiles`).
 *
 * @example
 * // 'file://' in Node; a browser has 'indexeddb://vae-mnist'
 * import '@latentlab/models/node';
 * const trainSet = tf.randomUniform([8, 784]);
 * const vae = new Vae({ latentDim: 2 });
 * const optimizerConfig = { name: 'adam', learningRate: 1e-3 } as const;
 * const adam = createOptimizer(optimizerConfig);
 * await vae.fit(trainSet, {
 *   epochs: 1,
 *   optimizer: adam,
 *   onEpochEnd: (log, training) => saveModel(vae, 'file://runs/vae-mnist', { optimizer: adam, optimizerConfig, training }),
 * });
 * const { model, optimizer, training } = await loadModel('file://runs/vae-mnist');
 * // In a browser, from an <input type="file" multiple>: name.json first, then name.weights.bin
 * // const upload = await loadModel(tf.io.browserFiles([...input.files]));
 * await (model as Vae).fit(trainSet, { epochs: 2, optimizer: optimizer!, initialState: training! }); // epoch 2 of 2
 */
export async function loadModel(target: io.IOHandler | string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const fn = 'loadModel';
  const handler = resolveHandler(fn, target, 'load');
  let artifacts: io.ModelArtifacts;
  try {
    await checkUploadedFiles(fn, handler);
    artifacts = await handler.load!();
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(fn, 'the handler could not read the model', 'a readable checkpoint', String(error));
  }
  return artifactsToModel(artifacts, fn, options);
}

/**
 * Rebuilds the model of {@link modelToArtifacts}'s artifacts, with its optimizer (slots restored) and
 * training state. Everything is checked before anything is allocated, in this order: the topology, version,
 * byte counts and CRC-32 (`checkArtifacts`); the config (as the model's constructor checks it); the `training`
 * counters and the noise state (`checkTraining`, `checkNoise`); every weight the config implies against the
 * manifest, by name, dtype and shape (`checkNetworkSpecs`, `checkPcaState`), so a config that would build a
 * model larger than the file is refused before it is built; the weights' values are finite (unless
 * `allowNonFinite`) and PCA's parameters possible (`checkPcaValues`). Only then are the weights decoded and the
 * model built; on any failure everything allocated so far (decoded weights, model, optimizer) is disposed.
 * @throws {ModelFormatError} for a bad topology or version, short or long weight data, a missing, unknown,
 * mis-shaped, mis-typed or non-finite weight (naming it, with expected and found shape or bytes), invalid
 * training counters or impossible PCA parameters.
 *
 * @example
 * const pca = new Pca({ nComponents: 1 });
 * await pca.fit(tf.tensor2d([[1, 2], [2, 4.1], [3, 5.9]]));
 * const { model } = await artifactsToModel(await modelToArtifacts(pca)); // PCA's float64 parameters bit for bit
 */
export async function artifactsToModel(
  artifacts: io.ModelArtifacts,
  fn = 'artifactsToModel',
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const { topology, specs, data } = checkArtifacts(fn, artifacts);
  if (topology.kind === 'pca') return { ...loadPca(fn, topology, specs, data), kind: 'pca' };
  let config: Readonly<VaeConfig> | Readonly<AutoencoderConfig>;
  try {
    config =
      topology.kind === 'vae'
        ? resolveVaeConfig(topology.config as VaeConfig, fn)
        : resolveAutoencoderConfig(topology.config as AutoencoderConfig, fn);
  } catch (error) {
    throw new ModelFormatError(fn, 'the saved config is invalid', 'a valid model config', String(error));
  }
  const noise = topology.kind === 'vae' ? topology.noise : null;
  if (noise !== undefined && noise !== null) checkNoise(fn, noise);
  const training = checkTraining(fn, topology.training, topology.kind === 'vae' && !noise);
  checkNetworkSpecs(fn, topology.kind, config, specs);
  if (!options.allowNonFinite) checkFinite(fn, specs, data);
  const optimizerConfig = topology.optimizer?.config ?? null;
  let model: Vae | Autoencoder | null = null;
  let optimizer: Optimizer | null = null;
  const weights: NamedTensorMap = io.decodeWeights(data, specs);
  try {
    model = topology.kind === 'vae' ? new Vae(config as VaeConfig) : new Autoencoder(config as AutoencoderConfig);
    const modelWeights: Record<string, Tensor> = {};
    for (const name of model.weightNames) modelWeights[name] = weights[`model/${name}`]!;
    model.setWeights(modelWeights);
    if (topology.optimizer && optimizerConfig) {
      const byName = new Map(model.weightNames.map((n, i) => [n, model!.trainableVariables[i]!]));
      const slots: NamedTensor[] = [];
      for (const spec of specs) {
        if (!spec.name.startsWith('optimizer/')) continue;
        const rest = spec.name.slice('optimizer/'.length);
        if (rest === 'iter') {
          slots.unshift({ name: 'iter', tensor: weights[spec.name]! });
          continue;
        }
        const cut = rest.lastIndexOf('/');
        slots.push({
          name: `${byName.get(rest.slice(0, cut))!.name}/${rest.slice(cut + 1)}`,
          tensor: weights[spec.name]!,
        });
      }
      optimizer = createOptimizer(optimizerConfig);
      if (slots.length > 0) await optimizer.setWeights(slots);
    }
    if (model instanceof Vae && noise) {
      model.noiseState = noise;
    } else if (training && model instanceof Vae) {
      advanceVaeNoise(model, training.trainRows, training.evalRows); // files without `noise`: replay (bounded)
    }
    return { kind: topology.kind, model, optimizer, optimizerConfig, training };
  } catch (error) {
    model?.dispose();
    optimizer?.dispose();
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(fn, 'the checkpoint cannot be restored', 'a consistent checkpoint', String(error));
  } finally {
    dispose(Object.values(weights));
  }
}

function loadPca(
  fn: string,
  topology: LatentlabTopology,
  specs: io.WeightsManifestEntry[],
  data: ArrayBuffer,
): Omit<LoadedModel, 'kind'> & { model: Pca } {
  let model: Pca;
  try {
    model = new Pca(topology.config as PcaConfig);
  } catch (error) {
    throw new ModelFormatError(fn, 'the saved config is invalid', 'a valid PcaConfig', String(error));
  }
  const p = topology.pca;
  if (p === null || p === undefined) {
    if (specs.length > 0) {
      const names = specs.map((s) => s.name).join(', ');
      throw new ModelFormatError(fn, 'unknown weights', 'no weights for an unfitted pca', names);
    }
    return { model, optimizer: null, optimizerConfig: null, training: null };
  }
  checkPcaState(fn, p, model.config, specs);
  // float64 values stored bit-exactly as int32 pairs: read straight from the bytes, no tensor needed.
  const view = (name: string) => {
    let offset = 0;
    for (const s of specs) {
      if (s.name === name) return new Float64Array(data.slice(offset, offset + s.shape[0]! * 4));
      offset += s.shape.reduce((a, b) => a * b, 1) * 4;
    }
    throw new ModelFormatError(fn, `weight '${name}' is missing`, 'a float64 array', 'none');
  };
  const mean = view('pca/mean');
  const components = view('pca/components');
  const values = view('pca/explainedVariance');
  checkPcaValues(fn, mean, components, values, p.totalVariance);
  const params = {
    mean,
    components,
    explainedVariance: values,
    totalVariance: p.totalVariance,
    n: p.n,
    solver: p.solver,
  };
  let fitted: Pca;
  try {
    fitted = Pca.fromParameters(params, model.config);
  } catch (error) {
    throw new ModelFormatError(
      fn,
      'the saved PCA parameters are invalid',
      'parameters Pca.fromParameters accepts',
      String(error),
    );
  }
  return { model: fitted, optimizer: null, optimizerConfig: null, training: null };
}
