// The base class of the autoencoders and the VAE: named variables, `encode` / `decode` / `reconstruct`, weights by
// name, `fit` / `evaluate` through the one trainer, `save`, the optimizer of the last fit, and `dispose`.
//
// Which way the dependencies point: the trainer (training/) knows models only through the contract
// (model-contract.ts) and never imports a model; the models import no trainer code. `fit` and `evaluate` reach the
// loop through a deferred `import()` of training/train.ts and training/evaluate-model.ts (as `save` reaches
// io/save-load.ts), and this file names only the trainer's types (`fit`'s options and result). So the graph runs one
// way, models → contract ← trainer, and a bundle that only loads and runs a model can leave the loop out. `fit`
// could instead have left the models (`train(model, data)` only), but `model.fit(data)` is the API users know from
// Keras, so it stays and defers.
// The models' losses are differentiated (by `fit`, by `trainInWorkers`' workers and by users' own loops), so the
// gradient functions are registered here as well as in the trainer (see register-gradients.ts).
import '#register-gradients';
import { checkKeys, formatShape, ShapeError, ValueError } from '@latentlab/core';
import { type io, type Optimizer, reshape, Tensor, type Tensor2D, tidy, type Variable } from '@tensorflow/tfjs-core';
import { inputTensor, type ModelInput } from '../inputs.js';
import type { SaveModelOptions } from '../io/save-options.js';
import type { LossContext, LossSummary, LossTerms, TrainableModel } from '../model-contract.js';
import type { EvaluateModelOptions } from '../training/evaluate-model.js';
import type { TrainOptions } from '../training/options.js';
import type { TrainResult } from '../training/train-state.js';
import { ParameterSet } from './parameter-set.js';

const SAVE_OPTION_KEYS = ['optimizer', 'optimizerConfig', 'training'];

/** Package-internal: makes an optimizer the model's {@link LatentModel.optimizer} (as `fit` does). */
export const adoptOptimizer = Symbol('adoptOptimizer');

/**
 * What autoencoders and VAEs share: named variables, `fit` through the one trainer, `encode` / `decode` /
 * `reconstruct`, weights by name, the optimizer of the last `fit`, and `dispose`.
 */
export abstract class LatentModel implements TrainableModel {
  protected readonly params = new ParameterSet();
  /** Shape of one example, e.g. [784] or [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Features per example d = ∏ inputShape. */
  readonly inputSize: number;
  /** Dimension of the code z. */
  readonly latentDim: number;
  #optimizer: Optimizer | null = null;
  #ownsOptimizer = false;
  #disposed = false;

  protected constructor(
    protected readonly modelName: string,
    inputShape: readonly number[],
    latentDim: number,
  ) {
    this.inputShape = inputShape;
    this.inputSize = inputShape.reduce((a, b) => a * b, 1);
    this.latentDim = latentDim;
  }

  /** The batch loss (see {@link TrainableModel.loss}). */
  abstract loss(x: Tensor2D, context: LossContext): LossTerms;
  /** Codes of x [batch, ...inputShape] (or [batch, d]; any {@link ModelInput}) → [batch, latentDim]. */
  abstract encode(x: ModelInput): Tensor2D;
  /** Reconstructions in data space from codes z [batch, latentDim] (any {@link ModelInput}) → [batch, ...inputShape]. */
  abstract decode(z: ModelInput): Tensor;

  /** decode(encode(x)): [batch, ...inputShape] → [batch, ...inputShape] (x: any {@link ModelInput}). */
  reconstruct(x: ModelInput): Tensor {
    this.assertLive(`${this.modelName}.reconstruct`);
    return tidy(() => this.decode(this.encode(x)));
  }

  /** The variables the optimizer trains, in a fixed order. */
  get trainableVariables(): readonly Variable[] {
    return this.params.variables;
  }

  /** The variable names, in the order of {@link trainableVariables}. */
  get weightNames(): string[] {
    return this.params.names;
  }

  /** Number of trainable scalars. */
  get parameterCount(): number {
    return this.params.size;
  }

  /** The optimizer of the last `fit` (with its slot variables, for checkpointing), or null before any fit. */
  get optimizer(): Optimizer | null {
    return this.#optimizer;
  }

  /** Copies of every variable by name (`encoder/0/w`, ...); the caller disposes them. */
  getWeights(): Record<string, Tensor> {
    this.assertLive(`${this.modelName}.getWeights`);
    return this.params.getWeights();
  }

  /** Sets every variable from a {@link getWeights}-shaped record (checked completely before any assignment). */
  setWeights(weights: Record<string, Tensor>): void {
    this.assertLive(`${this.modelName}.setWeights`);
    this.params.setWeights(weights, `${this.modelName}.setWeights`);
  }

  /**
   * Trains the model with the one trainer (`train` in training/train.ts; options and defaults there: Adam 1e-3,
   * 10 epochs, batch 128). The optimizer it builds stays available as {@link optimizer} until the next fit
   * or `dispose`; pass `optimizer: model.optimizer` to continue with the same optimizer state.
   * `data` is any {@link ModelInput} (bytes are scaled by 1/255); unknown option keys are rejected.
   *
   * @example
   * const vae = new Vae({ latentDim: 2 });
   * const x = tf.randomUniform([20, 784]);
   * const { history, historyColumns } = await vae.fit(x, { epochs: 2, validationSplit: 0.1 });
   * historyColumns.val_loss; // [2 numbers], Keras' history.history shape
   */
  async fit(data: ModelInput, options: Partial<TrainOptions> = {}): Promise<TrainResult> {
    const fn = `${this.modelName}.fit`;
    this.assertLive(fn);
    const { train } = await import('../training/train.js');
    const { optimizer, createdOptimizer, ...result } = await train(this, data, options, fn);
    this[adoptOptimizer](optimizer, createdOptimizer);
    return result;
  }

  /** Keeps `optimizer` as {@link LatentModel.optimizer}, disposing the previous one if the model owned it. */
  [adoptOptimizer](optimizer: Optimizer, owned: boolean): void {
    if (optimizer === this.#optimizer) return;
    if (this.#ownsOptimizer) this.#optimizer?.dispose();
    this.#optimizer = optimizer;
    this.#ownsOptimizer = owned;
  }

  /**
   * Mean evaluation loss over `data` (any {@link ModelInput}; for a VAE: the negative ELBO with z sampled,
   * reconstruction and KL apart).
   */
  evaluate(data: ModelInput, options: EvaluateModelOptions = {}): Promise<LossSummary> {
    const fn = `${this.modelName}.evaluate`;
    this.assertLive(fn);
    return import('../training/evaluate-model.js').then(({ evaluateModel }) => evaluateModel(this, data, options, fn));
  }

  /**
   * Saves the model like tfjs's `model.save(url)`: `'indexeddb://name'`, `'downloads://name'`, `'file://dir'`
   * (Node, after `import '@latentlab/models/node'`) or a tfjs IO handler; {@link saveModel} with this model.
   * `options` may add the optimizer and the training state for a checkpoint.
   *
   * @example
   * // 'file://' in Node; a browser has 'indexeddb://my-vae'
   * import '@latentlab/models/node';
   * const vae = new Vae({ latentDim: 2 });
   * await vae.save('file://my-vae');
   * const { model } = await loadModel('file://my-vae');
   */
  async save(url: string | io.IOHandler, options: SaveModelOptions = {}): Promise<io.SaveResult> {
    const fn = `${this.modelName}.save`;
    this.assertLive(fn);
    checkKeys(fn, 'options', options, SAVE_OPTION_KEYS);
    // Imported when called: save-load imports the model classes, which import this file.
    const { saveModel } = await import('../io/save-load.js');
    return saveModel(this as unknown as Parameters<typeof saveModel>[0], url, options);
  }

  /** Frees every variable and the optimizer the model built; the model cannot be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.params.dispose();
    if (this.#ownsOptimizer) this.#optimizer?.dispose();
    this.#optimizer = null;
    this.#disposed = true;
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  protected assertLive(fn: string): void {
    if (this.#disposed)
      throw new ValueError(fn, 'the model was disposed', 'a model before dispose()', 'a disposed model');
  }

  /**
   * Checks x is [batch ≥ 1, ...] with d features per example and returns it as [batch, d] (a new tensor for
   * arrays, bytes scaled by 1/255: call it inside `tidy`).
   */
  protected flatInput(fn: string, x: ModelInput): Tensor2D {
    this.assertLive(fn);
    const expected = `[batch ≥ 1, ${this.inputShape.join(', ')}] (or [batch, ${this.inputSize}])`;
    return inputTensor(fn, 'x', x, this.inputSize, { space: 'the model input', expected });
  }

  /** Checks z is [batch ≥ 1, latentDim] (a new tensor for arrays: call it inside `tidy`). */
  protected checkCode(fn: string, z: ModelInput): Tensor2D {
    this.assertLive(fn);
    const expected = `[batch ≥ 1, ${this.latentDim}]`;
    if (z instanceof Tensor && z.rank !== 2) {
      throw new ShapeError(fn, 'z does not fit the latent space', expected, formatShape(z.shape));
    }
    return inputTensor(fn, 'z', z, this.latentDim, { space: 'the latent space', expected });
  }

  /** [batch, d] → [batch, ...inputShape]. */
  protected toInputShape(flat: Tensor2D): Tensor {
    return reshape(flat, [flat.shape[0], ...this.inputShape]);
  }
}
