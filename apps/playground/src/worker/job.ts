/**
 * One model being trained: the model, its Adam optimizer, the global step and completed epochs, the loss history,
 * the loss on the held-out data and the time per step on each backend. Training runs through `train` from
 * @latentlab/models on the training part of the data, in stretches that end when the run completes or is aborted
 * (pause, backend switch); resuming continues the global step (so KL warm-up carries on) and the Adam moments.
 * The held-out part is evaluated at every epoch end (the trainer's `validationData`: the plain negative ELBO of a
 * VAE, the reconstruction loss of an autoencoder, in batches of 500 rows without gradients), and once after a PCA
 * fit (its mean squared reconstruction error per feature, `Pca.evaluate`) — never during an epoch.
 */
import { type BackendName, switchBackend } from '@latentlab/core';
import { Autoencoder, createOptimizer, type LossSummary, Pca, type TrainState, train, Vae } from '@latentlab/models';
import { clone, dispose, getBackend, type Optimizer, type Tensor, type Tensor2D } from '@tensorflow/tfjs-core';
import type { BackendChoice, ModelKind, TrainSettings } from '../protocol.js';
import { type PreparedData, trainingPart } from './datasets.js';

export type NeuralModel = Autoencoder | Vae;

/**
 * The Adam of the library's trainer and CLI (`createOptimizer`) for the active backend, as the page trains with it:
 * on WASM one SIMD kernel per variable, on WebGPU one dispatch for the whole parameter set, elsewhere tfjs's
 * element-wise kernels; tfjs Adam's update and its `getWeights` layout either way, so saved runs and backend
 * switches move its state as before. Made anew after a backend switch (the WebGPU one steps only on WebGPU).
 */
export function adam(learningRate: number): Optimizer {
  return createOptimizer({ name: 'adam', learningRate });
}

/** A named tensor as tfjs optimizers save and restore them. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

export interface LossHistory {
  total: number[];
  reconstruction: number[];
  kl: number[];
}

export interface StepInfo {
  step: number;
  loss: number;
  reconstruction: number;
  kl: number | null;
}

/** Builds the model a settings object describes, for data of `d` features (images use a Bernoulli decoder). */
export function buildModel(settings: TrainSettings, data: Pick<PreparedData, 'd' | 'imageShape'>): NeuralModel | Pca {
  const images = data.imageShape !== null;
  const hidden = images ? [256] : [64, 64];
  const common = { inputShape: [data.d], latentDim: settings.latentDim, seed: 0 };
  switch (settings.model) {
    case 'pca':
      return new Pca({ nComponents: settings.latentDim, whiten: true });
    case 'linear-ae':
      return new Autoencoder({ ...common, architecture: 'linear', reconstruction: images ? 'bernoulli' : 'mse' });
    case 'deep-ae':
      return new Autoencoder({
        ...common,
        architecture: 'mlp',
        hiddenUnits: hidden,
        reconstruction: images ? 'bernoulli' : 'mse',
      });
    case 'vae':
      return new Vae({
        ...common,
        architecture: 'mlp',
        hiddenUnits: images ? [400] : hidden,
        decoder: images ? 'bernoulli' : 'gaussian',
        decoderVariance: images ? 1 : 1 / (2 * settings.lossWeightC),
        beta: settings.beta,
        klWarmupSteps: settings.klWarmupSteps,
      });
  }
}

export class Job {
  /** The model; a PCA is replaced by an equal one when it moves to another backend (see {@link moveTo}). */
  model: NeuralModel | Pca;
  optimizer: Optimizer | null = null;
  step = 0;
  epoch = 0;
  /** Batches of the current epoch already taken, and their loss sums (a pause mid-epoch resumes after them). */
  batch = 0;
  partial: TrainState['partial'] = null;
  readonly history: LossHistory = { total: [], reconstruction: [], kl: [] };
  /** The loss on the held-out data after the last completed epoch (PCA: after the fit); null before. */
  test: (LossSummary & { epoch: number }) | null = null;
  readonly timing: Partial<Record<BackendChoice, { ms: number; steps: number }>> = {};
  state: 'idle' | 'training' | 'paused' | 'done' = 'idle';
  #controller: AbortController | null = null;
  #pendingBackend: BackendChoice | null = null;

  /** `model`: an already built (e.g. loaded) model for these settings, which the job then owns. */
  constructor(
    readonly settings: TrainSettings,
    readonly data: PreparedData,
    model?: NeuralModel | Pca,
  ) {
    this.model = model ?? buildModel(settings, data);
  }

  get kind(): ModelKind {
    return this.settings.model;
  }

  /** Steps of one epoch over the training rows (0 while they are still loading: a shipped model's job). */
  get stepsPerEpoch(): number {
    return Math.ceil((this.data.train?.n ?? 0) / this.settings.batchSize);
  }

  msPerStep(): Partial<Record<BackendChoice, number>> {
    const out: Partial<Record<BackendChoice, number>> = {};
    for (const [name, t] of Object.entries(this.timing))
      if (t && t.steps > 0) out[name as BackendChoice] = t.ms / t.steps;
    return out;
  }

  /**
   * Trains until every epoch is done (→ 'done') or {@link pause} is called (→ 'paused'). A backend switch
   * requested with {@link switchTo} while training aborts the current stretch, moves the weights and the
   * optimizer state, and continues.
   */
  async run(hooks: {
    onStep(info: StepInfo): void | Promise<void>;
    onSwitched(): Promise<void>;
  }): Promise<'done' | 'paused'> {
    const { dataset, n } = trainingPart(this.data); // the worker waits for the training rows before a run
    if (this.model instanceof Pca) {
      this.state = 'training';
      await this.model.fit({ data: dataset.x, shape: [n, this.data.d] });
      await this.evaluateTest();
      this.state = 'done';
      return 'done';
    }
    const model = this.model;
    const adapter = {
      inputSize: model.inputSize,
      get trainableVariables() {
        return model.trainableVariables;
      },
      // The trainer counts steps from 0 in every stretch; the model sees the global step (KL warm-up).
      loss: (x: Tensor2D, ctx: { step: number; training: boolean }) =>
        model.loss(x, { step: ctx.training ? this.step : ctx.step, training: ctx.training }),
      getWeights: () => model.getWeights(),
      setWeights: (w: Record<string, Tensor>) => model.setWeights(w),
    };
    this.optimizer ??= adam(this.settings.learningRate);
    this.state = 'training';
    while (this.epoch < this.settings.epochs) {
      const controller = new AbortController();
      this.#controller = controller;
      let warm = 0;
      let mark = performance.now();
      const result = await train(adapter, dataset, {
        epochs: this.settings.epochs,
        batchSize: this.settings.batchSize,
        shuffle: true,
        seed: 0,
        optimizer: this.optimizer,
        validationData: this.data.test,
        // Where the last stretch stopped, inside its epoch if it was paused there (same shuffled order, next batch).
        initialState: {
          epoch: this.epoch,
          batch: this.batch,
          partial: this.partial,
          step: this.step,
          history: [],
          bestEpoch: -1,
          bestValue: Number.POSITIVE_INFINITY,
          wait: 0,
          trainRows: 0,
          evalRows: 0,
        },
        signal: controller.signal,
        yieldEveryMs: 10,
        onBatchEnd: async (log) => {
          const now = performance.now();
          // The first steps after a (re)start compile shaders / warm caches: not counted in the timing.
          if (++warm > 3) {
            const name = getBackend() as BackendChoice;
            const t = this.timing[name] ?? { ms: 0, steps: 0 };
            t.ms += now - mark;
            t.steps += 1;
            this.timing[name] = t;
          }
          this.step += 1;
          this.history.total.push(log.loss);
          this.history.reconstruction.push(log.reconstruction);
          this.history.kl.push(log.kl ?? Number.NaN);
          await hooks.onStep({ step: this.step, loss: log.loss, reconstruction: log.reconstruction, kl: log.kl });
          mark = performance.now();
        },
        onEpochEnd: (log) => {
          this.epoch += 1;
          if (log.validation) this.test = { ...log.validation, epoch: this.epoch };
        },
      });
      this.#controller = null;
      this.epoch = result.state.epoch;
      this.batch = result.state.batch ?? 0;
      this.partial = result.state.partial ?? null;
      if (result.stopReason !== 'aborted') break;
      const target = this.#pendingBackend;
      this.#pendingBackend = null;
      if (target === null) {
        this.state = 'paused';
        return 'paused';
      }
      await this.moveTo(target);
      await hooks.onSwitched();
    }
    this.state = 'done';
    return 'done';
  }

  /**
   * Evaluates the model on the held-out data now (a loaded or imported model, a fitted PCA) and keeps the result
   * in {@link test}: the same measure the epoch ends report, in bounded batches, no tensor left behind.
   */
  async evaluateTest(): Promise<LossSummary> {
    const { test } = this.data;
    const summary =
      this.model instanceof Pca
        ? await this.model.evaluate({ data: test.x, shape: [this.data.nTest, this.data.d] }, { chunkRows: 500 })
        : await this.model.evaluate(test, { batchSize: 500 });
    this.test = { ...summary, epoch: this.epoch };
    return summary;
  }

  /** Stops training before the next step (the run resolves 'paused'). */
  pause(): void {
    this.#pendingBackend = null;
    this.#controller?.abort();
  }

  /** While training: abort, move to `name`, continue. Returns false when not training (move it yourself). */
  requestSwitch(name: BackendChoice): boolean {
    if (this.#controller === null) return false;
    this.#pendingBackend = name;
    this.#controller.abort();
    return true;
  }

  /**
   * Moves the weights and the Adam moments to `name` with `switchBackend` (values copied bit for bit). On
   * failure the state stays on the current backend and the BackendError propagates. A PCA's tensors are made
   * from its float64 parameters, so it is rebuilt from them on `name` (`Pca.fromParameters`), not left for
   * tfjs to migrate on first use with a synchronous read, which returns zeros on WebGPU.
   */
  async moveTo(name: BackendName): Promise<void> {
    if (this.model instanceof Pca) {
      await switchBackend(name);
      if (this.model.isFitted) {
        const moved = Pca.fromParameters(this.model.toParameters(), this.model.config);
        this.model.dispose();
        this.model = moved;
      }
      return;
    }
    const weights = this.model.getWeights();
    const saved: NamedTensor[] = this.optimizer ? await this.optimizer.getWeights() : [];
    const state: Record<string, Tensor> = {};
    for (const [key, t] of Object.entries(weights)) state[`w:${key}`] = t;
    // getWeights hands out the optimizer's own variables (and a fresh iteration count): move copies.
    saved.forEach((nt, i) => {
      state[`o:${i}`] = i === 0 ? nt.tensor : clone(nt.tensor);
    });
    let moved: Record<string, Tensor>;
    try {
      moved = await switchBackend(name, state);
    } catch (error) {
      dispose(Object.values(state));
      throw error;
    }
    const movedWeights = Object.fromEntries(Object.keys(weights).map((key) => [key, moved[`w:${key}`]!]));
    this.model.setWeights(movedWeights);
    dispose(Object.values(movedWeights));
    if (this.optimizer) {
      const lr = this.settings.learningRate;
      this.optimizer.dispose();
      this.optimizer = adam(lr);
      const restored = saved.map((nt, i) => ({ name: nt.name, tensor: moved[`o:${i}`]! }));
      await this.optimizer.setWeights(restored);
      dispose(restored.map((r) => r.tensor));
    }
  }

  dispose(): void {
    this.#controller?.abort();
    this.model.dispose();
    this.optimizer?.dispose();
    this.optimizer = null;
  }
}
