import { checkNumber, ValueError } from '@latentlab/core';
import { Optimizer } from '@tensorflow/tfjs-core';
import { FusedAdam } from '../ops/fused-adam.js';
import { type AdamConfig, DEFAULT_OPTIMIZER_CONFIG, isFusedAdam } from '../optimizers.js';
import type { TrainOptions } from '../training/options.js';

/** Adam's settings as the workers use them (`update: 'js'`: the JavaScript loop, else one SIMD call; slice-adam.ts). */
export type WorkerAdamConfig = Required<Omit<AdamConfig, 'name'>>;

/**
 * The Adam settings of a `trainInWorkers` run: a {@link FusedAdam} to continue (its moments are loaded into the
 * shared state), or a config whose numbers are checked here, before any thread starts. Any other optimizer is a
 * `ValueError` (workers train with Adam only).
 *
 * @example
 * workerAdam('trainInWorkers', { name: 'adam', learningRate: 1e-3 });
 * // { optimizer: null, config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, update: 'auto' } }
 */
export function workerAdam(
  fn: string,
  optimizer: TrainOptions['optimizer'],
): { optimizer: FusedAdam | null; config: WorkerAdamConfig } {
  if (optimizer instanceof Optimizer) {
    if (!isFusedAdam(optimizer)) {
      throw new ValueError(
        fn,
        'workers train with Adam only',
        "an { name: 'adam' } config or a FusedAdam",
        'another optimizer',
      );
    }
    return { optimizer, config: optimizer.config };
  }
  if (optimizer?.name !== 'adam') {
    throw new ValueError(fn, 'workers train with Adam only', "{ name: 'adam', ... }", String(optimizer?.name));
  }
  checkNumber(fn, 'optimizer.learningRate', optimizer.learningRate, { positive: true });
  const c = {
    ...DEFAULT_OPTIMIZER_CONFIG,
    ...Object.fromEntries(Object.entries(optimizer).filter(([, v]) => v !== undefined)),
  } as AdamConfig;
  const config = {
    learningRate: c.learningRate,
    beta1: c.beta1 ?? 0.9,
    beta2: c.beta2 ?? 0.999,
    epsilon: c.epsilon ?? 1e-8,
    update: c.update ?? 'auto',
  };
  new FusedAdam(config).dispose(); // checks the numbers
  return { optimizer: null, config };
}
