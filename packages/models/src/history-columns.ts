import type { EpochLog } from './training/logs.js';

/**
 * The epoch logs of a run as Keras' `history.history`: one array per metric, index i for the i-th logged
 * epoch. `val_*` columns are present when validation ran (`validationData` or `validationSplit`); `kl` entries
 * are null for autoencoders.
 */
export interface HistoryColumns {
  epoch: number[];
  loss: number[];
  reconstruction: number[];
  kl: Array<number | null>;
  val_loss?: number[];
  val_reconstruction?: number[];
  val_kl?: Array<number | null>;
  learningRate: number[];
  seconds: number[];
}

/**
 * Columns of the per-epoch records (`TrainResult.history`): `columns.loss[i] === history[i].loss`,
 * `columns.val_loss[i] === history[i].validation.loss`.
 *
 * @example
 * const vae = new Vae({ latentDim: 2 });
 * const { history } = await vae.fit(tf.randomUniform([20, 784]), { epochs: 3, validationSplit: 0.1 });
 * const columns = historyColumns(history); // what `fit` also returns as `historyColumns`
 * columns.loss;      // [3 numbers], as Keras' history.history.loss
 * columns.val_loss;  // [3 numbers]
 */
export function historyColumns(history: readonly EpochLog[]): HistoryColumns {
  const columns: HistoryColumns = {
    epoch: history.map((h) => h.epoch),
    loss: history.map((h) => h.loss),
    reconstruction: history.map((h) => h.reconstruction),
    kl: history.map((h) => h.kl),
    learningRate: history.map((h) => h.learningRate),
    seconds: history.map((h) => h.seconds),
  };
  if (history.length > 0 && history.every((h) => h.validation !== null)) {
    columns.val_loss = history.map((h) => h.validation!.loss);
    columns.val_reconstruction = history.map((h) => h.validation!.reconstruction);
    columns.val_kl = history.map((h) => h.validation!.kl);
  }
  return columns;
}
