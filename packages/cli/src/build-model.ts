import { Autoencoder, Pca, Vae } from '@latentlab/models';
import type { RunModelName as ModelName } from '@latentlab/models/node';
import { intFlag } from './flags.js';

/** `--hidden 400,200` → [400, 200]; '' → [] (no hidden layer); absent → [400]. */
export function hiddenFlag(value: string | boolean | undefined): number[] {
  if (value === undefined) return [400];
  if (value === '') return [];
  return String(value)
    .split(',')
    .map((v) => intFlag('hidden', v, 1));
}

/** The architecture flags of `train` and `bench`. */
export interface Architecture {
  model: ModelName;
  inputSize: number;
  latent: number;
  hidden: number[];
  beta: number;
  seed: number;
  /** Bernoulli for byte images (MNIST), Gaussian for CSV features. */
  decoder: 'bernoulli' | 'gaussian';
}

/**
 * Builds the model a run trains: a `Vae`, an MLP or linear `Autoencoder` (with the same likelihood as the VAE
 * would have: Bernoulli for images, squared error for CSV features), or a `Pca`.
 *
 * @example
 * const vae = buildModel({ model: 'vae', inputSize: 784, latent: 20, hidden: [400], beta: 1, seed: 0, decoder: 'bernoulli' });
 */
export function buildModel(a: Architecture): Vae | Autoencoder | Pca {
  const common = { inputShape: [a.inputSize], latentDim: a.latent, seed: a.seed };
  // An autoencoder's loss follows the data like the VAE's decoder: the Bernoulli NLL (cross-entropy summed over the
  // pixels) for images in [0, 1], the mean squared error for CSV features.
  const reconstruction = a.decoder === 'bernoulli' ? 'bernoulli' : 'mse';
  switch (a.model) {
    case 'vae':
      return new Vae({ ...common, hiddenUnits: a.hidden, beta: a.beta, decoder: a.decoder });
    case 'ae':
      return new Autoencoder({ ...common, architecture: 'mlp', hiddenUnits: a.hidden, reconstruction });
    case 'linear-ae':
      return new Autoencoder({ ...common, architecture: 'linear', reconstruction });
    default:
      return new Pca({ nComponents: a.latent, seed: a.seed });
  }
}
