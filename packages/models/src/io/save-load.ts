import { ValueError } from '@latentlab/core';
import {
  dispose,
  io,
  type NamedTensorMap,
  type Optimizer,
  type Tensor,
  type Tensor2D,
  tensor1d,
  tidy,
  zeros,
} from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import type { AutoencoderConfig, VaeConfig } from '../config.js';
import { createOptimizer, type OptimizerConfig } from '../optimizers.js';
import { Pca, type PcaConfig } from '../pca/pca.js';
import type { TrainState } from '../trainer.js';
import { Vae } from '../vae.js';
import { crc32 } from './crc32.js';
import {
  checkArtifacts,
  FORMAT_NAME,
  FORMAT_VERSION,
  type LatentlabTopology,
  ModelFormatError,
  type ModelKind,
  type PcaState,
  parseJson,
} from './format.js';

/** Every model `saveModel` writes. */
export type SavableModel = Vae | Autoencoder | Pca;

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** The optimizer to checkpoint with its slots (Adam moments, iteration count, ...). */
  optimizer?: Optimizer | null;
  /** The config that built it (needed to rebuild it on load). */
  optimizerConfig?: OptimizerConfig | null;
  /** The trainer's progress at an epoch end (`onEpochEnd`'s second argument). */
  training?: TrainState | null;
}

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

interface PcaInternals {
  fitted: {
    solver: 'exact' | 'randomized';
    n: number;
    d: number;
    mean: Float64Array;
    components: Float64Array;
    explainedVariance: Float64Array;
    totalVariance: number;
  } | null;
  setFitted(
    solver: 'exact' | 'randomized',
    n: number,
    d: number,
    mean: Float64Array,
    vectors: Float64Array,
    values: Float64Array,
    totalVariance: number,
  ): void;
}

/** float64 values stored bit-exactly as an int32 weight of twice the length. */
type NamedTensor = { name: string; tensor: Tensor };

const float64Weight = (values: Float64Array): Tensor =>
  tensor1d(new Int32Array(Float64Array.from(values).buffer), 'int32');
const float64Of = (t: Tensor): Float64Array => new Float64Array(Int32Array.from(t.dataSync() as Int32Array).buffer);

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
      const f = (model as unknown as PcaInternals).fitted;
      if (f) {
        const k = f.explainedVariance.length;
        pca = { solver: f.solver, n: f.n, d: f.d, k, totalVariance: f.totalVariance };
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
 * await saveModel(vae, 'indexeddb://vae-mnist', { optimizer: vae.optimizer, optimizerConfig: { name: 'adam', learningRate: 1e-3 } });
 * const { model } = await loadModel('indexeddb://vae-mnist');
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

/**
 * Reads a checkpoint written by {@link saveModel} through a handler or URL, see {@link artifactsToModel}; a
 * handler that fails to read becomes a {@link ModelFormatError}. In a browser, the files that
 * `saveModel(m, 'downloads://name')` downloaded load through `tf.io.browserFiles([jsonFile, weightsFile])`.
 *
 * @example
 * const { model, optimizer, training } = await loadModel('indexeddb://vae-mnist');
 * const upload = await loadModel(tf.io.browserFiles([...input.files])); // name.json first, then name.weights.bin
 * await (model as Vae).fit(trainSet, { epochs: 10, optimizer: optimizer!, initialState: training! });
 */
export async function loadModel(target: io.IOHandler | string): Promise<LoadedModel> {
  const fn = 'loadModel';
  const handler = resolveHandler(fn, target, 'load');
  let artifacts: io.ModelArtifacts;
  try {
    await checkUploadedJson(fn, handler);
    artifacts = await handler.load!();
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(fn, 'the handler could not read the model', 'a readable checkpoint', String(error));
  }
  return artifactsToModel(artifacts, fn);
}

/**
 * tfjs's `browserFiles` handler parses its first file as JSON inside a `FileReader` callback, where a syntax
 * error escapes its promise, which then never settles (a user who picks the weights file first, or a truncated
 * model.json, would wait forever). So the JSON file of such a handler (its `jsonFile`) is parsed here first.
 * @throws {ModelFormatError} naming the file when it is not JSON.
 */
async function checkUploadedJson(fn: string, handler: io.IOHandler): Promise<void> {
  const file = (handler as { jsonFile?: { name?: unknown; text?: unknown } }).jsonFile;
  if (!file || typeof file.text !== 'function') return;
  parseJson(fn, String(file.name), await (file.text as () => Promise<string>).call(file));
}

/**
 * Rebuilds the model of {@link modelToArtifacts}'s artifacts, with its optimizer (slots restored) and
 * training state. Every weight is checked against the manifest and the model before any is assigned.
 * @throws {ModelFormatError} for a bad topology or version, short or long weight data, a missing, unknown,
 * mis-shaped or mis-typed weight (naming it, with expected and found shape or bytes).
 *
 * @example
 * const { model } = await artifactsToModel(await modelToArtifacts(pca)); // PCA's float64 parameters bit for bit
 */
export async function artifactsToModel(artifacts: io.ModelArtifacts, fn = 'artifactsToModel'): Promise<LoadedModel> {
  const { topology, specs, data } = checkArtifacts(fn, artifacts);
  const weights: NamedTensorMap = io.decodeWeights(data, specs);
  try {
    if (topology.kind === 'pca') return { ...loadPca(fn, topology, weights), kind: 'pca' };
    let model: Vae | Autoencoder;
    try {
      model =
        topology.kind === 'vae'
          ? new Vae(topology.config as VaeConfig)
          : new Autoencoder(topology.config as AutoencoderConfig);
    } catch (error) {
      throw new ModelFormatError(fn, 'the saved config is invalid', 'a valid model config', String(error));
    }
    try {
      const expected = new Map(model.trainableVariables.map((v, i) => [model.weightNames[i]!, v]));
      const modelWeights: Record<string, Tensor> = {};
      for (const [name, v] of expected) {
        const t = weights[`model/${name}`];
        if (!t) throw new ModelFormatError(fn, `weight '${name}' is missing`, `a float32 [${v.shape}] weight`, 'none');
        checkWeight(fn, name, t, v.shape, 'float32');
        modelWeights[name] = t;
      }
      const unknown = Object.keys(weights).filter(
        (k) => k.startsWith('model/') && !expected.has(k.slice('model/'.length)),
      );
      if (unknown.length > 0) {
        throw new ModelFormatError(fn, 'unknown weights', `only weights of the ${topology.kind}`, unknown.join(', '));
      }
      model.setWeights(modelWeights);
      const optimizerConfig = topology.optimizer?.config ?? null;
      let optimizer: Optimizer | null = null;
      if (topology.optimizer && optimizerConfig) {
        const byName = new Map(model.weightNames.map((n, i) => [n, model.trainableVariables[i]!]));
        const slots: NamedTensor[] = [];
        for (const spec of specs) {
          if (!spec.name.startsWith('optimizer/')) continue;
          const rest = spec.name.slice('optimizer/'.length);
          if (rest === 'iter') {
            slots.unshift({ name: 'iter', tensor: weights[spec.name]! });
            continue;
          }
          const cut = rest.lastIndexOf('/');
          const v = byName.get(rest.slice(0, cut));
          if (!v) throw new ModelFormatError(fn, 'an optimizer slot names no weight', 'a model weight', spec.name);
          checkWeight(fn, spec.name, weights[spec.name]!, v.shape, 'float32');
          slots.push({ name: `${v.name}/${rest.slice(cut + 1)}`, tensor: weights[spec.name]! });
        }
        optimizer = createOptimizer(optimizerConfig);
        if (slots.length > 0) await optimizer.setWeights(slots);
      }
      const training = restoreTraining(topology);
      if (model instanceof Vae && topology.noise) {
        try {
          model.noiseState = topology.noise; // each stream's state is checked
        } catch (error) {
          throw new ModelFormatError(fn, 'the noise state is malformed', 'Vae.noiseState', String(error));
        }
      } else if (training && model instanceof Vae) {
        advanceVaeNoise(model, training.trainRows, training.evalRows); // files without `noise`: replay
      }
      return { kind: topology.kind, model, optimizer, optimizerConfig, training };
    } catch (error) {
      model.dispose();
      throw error;
    }
  } finally {
    dispose(Object.values(weights));
  }
}

function restoreTraining(topology: LatentlabTopology): TrainState | null {
  const t = topology.training;
  if (!t) return null;
  return { ...t, bestValue: t.bestValue ?? Number.POSITIVE_INFINITY };
}

function checkWeight(fn: string, name: string, t: Tensor, shape: readonly number[], dtype: string): void {
  if (t.dtype !== dtype) {
    throw new ModelFormatError(fn, `weight '${name}' has the wrong dtype`, dtype, t.dtype);
  }
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    const bytes = (s: readonly number[]) => s.reduce((a, b) => a * b, 1) * 4;
    throw new ModelFormatError(
      fn,
      `weight '${name}' has the wrong shape`,
      `[${shape.join(', ')}] (${bytes(shape)} bytes)`,
      `[${t.shape.join(', ')}] (${bytes(t.shape)} bytes)`,
    );
  }
}

function loadPca(
  fn: string,
  topology: LatentlabTopology,
  weights: NamedTensorMap,
): Omit<LoadedModel, 'kind'> & { model: Pca } {
  let model: Pca;
  try {
    model = new Pca(topology.config as PcaConfig);
  } catch (error) {
    throw new ModelFormatError(fn, 'the saved config is invalid', 'a valid PcaConfig', String(error));
  }
  const p = topology.pca;
  if (p) {
    const get = (name: string, length: number) => {
      const t = weights[name];
      if (!t) throw new ModelFormatError(fn, `weight '${name}' is missing`, `${length} float64 values`, 'none');
      checkWeight(fn, name, t, [2 * length], 'int32');
      return float64Of(t);
    };
    const mean = get('pca/mean', p.d);
    const components = get('pca/components', p.k * p.d);
    const values = get('pca/explainedVariance', p.k);
    (model as unknown as PcaInternals).setFitted(p.solver, p.n, p.d, mean, components, values, p.totalVariance);
  }
  return { model, optimizer: null, optimizerConfig: null, training: null };
}

/**
 * Advances a freshly built VAE's training and evaluation noise streams past `trainRows` and `evalRows` rows
 * of ε (what `train` drew before the checkpoint), by pushing zero rows through `loss` in chunks: the streams
 * are the model's private RNGs, and ε for n rows in one call equals ε for the same rows in several calls.
 * Costs one forward pass per row drawn (like evaluating the data once per epoch).
 *
 * @example
 * advanceVaeNoise(fresh, state.trainRows, state.evalRows); // fresh now draws the ε a resumed run would
 */
export function advanceVaeNoise(model: Vae, trainRows: number, evalRows: number, chunk = 2048): void {
  for (const [rows, training] of [
    [trainRows, true],
    [evalRows, false],
  ] as const) {
    for (let done = 0; done < rows; done += chunk) {
      const b = Math.min(chunk, rows - done);
      tidy(() => {
        model.loss(zeros([b, model.inputSize]) as Tensor2D, { step: 0, training });
      });
    }
  }
}
