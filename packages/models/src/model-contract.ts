// The model contract: what a trainable model offers the trainer (`TrainableModel`) and the loss terms it hands
// back (`LossTerms`, `LossContext`, `BatchRows`, `LossSummary`). The models (`Autoencoder`, `Vae` through
// `LatentModel`, `Pca` for `LossSummary`) and the trainer (`training/`) both import this module and nothing of each
// other: the trainer depends on the contract, never on a model class, and no model imports the trainer (a model's
// `fit` reaches the loop through a deferred `import()`, see model/latent-model.ts).
import type { Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';

/** The loss of one batch: scalars in nats (or squared-error units) per example, batch means. */
export interface LossTerms {
  /** What is minimised (training) or reported as the loss (evaluation). */
  total: Scalar;
  /** The reconstruction term, −log p(x|z) or the squared error. */
  reconstruction: Scalar;
  /** The KL term (VAE only; `null` for autoencoders). */
  kl: Scalar | null;
}

/** Rows [offset, offset + n) of a batch of `batchSize` examples, when a batch is split over workers. */
export interface BatchRows {
  offset: number;
  batchSize: number;
}

/** What {@link TrainableModel.loss} is told about the batch. */
export interface LossContext {
  /** Global optimizer step (for β warm-up). */
  step: number;
  /** The training objective (`true`) or the evaluation terms (`false`). */
  training: boolean;
  /**
   * When x is a shard of a larger batch (data-parallel training): where its rows sit in the batch. Random
   * draws (a VAE's ε) are made for the whole batch and sliced, so a split batch sees the same noise as a whole one.
   */
  rows?: BatchRows;
}

/** What the trainer needs from a model (implemented by `Autoencoder` and `Vae`). */
export interface TrainableModel {
  /** Features per example d = ∏ inputShape. */
  readonly inputSize: number;
  /** The variables the optimizer updates. */
  readonly trainableVariables: readonly Variable[];
  /**
   * The batch loss for x [batch, d]. `training: true`: the training objective at global step `step` (β,
   * warm-up and free bits applied); `false`: the evaluation terms (for a VAE the plain negative ELBO,
   * reconstruction + KL with β = 1).
   */
  loss(x: Tensor2D, context: LossContext): LossTerms;
  /** Copies of the weights by name (the caller disposes them). */
  getWeights(): Record<string, Tensor>;
  /** Assigns weights by name (names and shapes must match). */
  setWeights(weights: Record<string, Tensor>): void;
}

/** The means over one pass of a data set. `kl` is null for autoencoders. */
export interface LossSummary {
  loss: number;
  reconstruction: number;
  kl: number | null;
}
