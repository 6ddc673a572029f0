import { checkKeys, checkNumber, checkOneOf, ValueError } from '@latentlab/core';
import { type Optimizer, train } from '@tensorflow/tfjs-core';
import { FusedAdam, type FusedAdamConfig, type FusedAdamUpdate } from './ops/fused-adam.js';
import { WebGpuAdam } from './ops/webgpu/adam.js';
import { webgpuFastPath } from './ops/webgpu/fast-path.js';

/** Adam (Kingma & Ba 2015); defaults are PyTorch's `torch.optim.Adam` (lr 1e-3, β = (0.9, 0.999), ε = 1e-8). */
export interface AdamConfig {
  name: 'adam';
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Where the update runs (default `'auto'`: JavaScript on cpu, kernels elsewhere), see {@link FusedAdamUpdate}. */
  update?: FusedAdamUpdate;
}

/** Plain SGD, or SGD with (Nesterov) momentum when `momentum` > 0. */
export interface SgdConfig {
  name: 'sgd';
  learningRate: number;
  momentum?: number;
  nesterov?: boolean;
}

/** RMSProp (Tieleman & Hinton 2012). */
export interface RmsPropConfig {
  name: 'rmsprop';
  learningRate: number;
  decay?: number;
  momentum?: number;
  epsilon?: number;
}

/** Which optimizer a trainer builds. */
export type OptimizerConfig = AdamConfig | SgdConfig | RmsPropConfig;

/** The keys each optimizer config may have. */
const OPTIMIZER_KEYS: Readonly<Record<OptimizerConfig['name'], readonly string[]>> = Object.freeze({
  adam: ['name', 'learningRate', 'beta1', 'beta2', 'epsilon', 'update'],
  sgd: ['name', 'learningRate', 'momentum', 'nesterov'],
  rmsprop: ['name', 'learningRate', 'decay', 'momentum', 'epsilon'],
});

/** Adam with PyTorch's defaults. */
export const DEFAULT_OPTIMIZER_CONFIG: Readonly<AdamConfig> = Object.freeze({
  name: 'adam',
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});

/**
 * Builds an optimizer from its config, after checking every number (Adam is `FusedAdam` from src/ops, a drop-in
 * tfjs `Optimizer`; the others are tfjs's).
 *
 *     Adam:     m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  θ ← θ − η·m̂/(√v̂ + ε)
 *     SGD:      θ ← θ − η·g   (with momentum μ: u ← μu + g, θ ← θ − η·u)
 *     RMSProp:  s ← ρs + (1 − ρ)g²,  θ ← θ − η·g/√(s + ε)
 *
 * The caller owns the optimizer (`optimizer.dispose()` frees its slot variables).
 * @throws {ValueError} naming `createOptimizer` for an unknown name or key (the closest valid key suggested), or a NaN, infinite or non-positive learning rate.
 * @example
 * const opt = createOptimizer({ name: 'adam', learningRate: 3e-4 });
 */
export function createOptimizer(config: OptimizerConfig = DEFAULT_OPTIMIZER_CONFIG): Optimizer {
  const fn = 'createOptimizer';
  if (config === null || typeof config !== 'object') {
    throw new ValueError(
      fn,
      'config is not an object',
      "{ name: 'adam' | 'sgd' | 'rmsprop', learningRate }",
      String(config),
    );
  }
  const keys = OPTIMIZER_KEYS[config.name as OptimizerConfig['name']];
  if (keys) checkKeys(fn, `config (${config.name})`, config, keys);
  const lr = checkNumber(fn, 'learningRate', config.learningRate, { positive: true });
  const unit = (name: string, v: number) => {
    if (!(v >= 0 && v < 1)) throw new ValueError(fn, `${name} is out of range`, 'a number in [0, 1)', String(v));
    return v;
  };
  switch (config.name) {
    case 'adam': {
      // FusedAdam (src/ops): the same update as tfjs's Adam in fewer kernels.
      const o = { ...DEFAULT_OPTIMIZER_CONFIG, ...definedEntries(config) };
      // On webgpu, 'auto' is one Adam dispatch for the whole parameter set (src/ops/webgpu/adam.ts).
      const Adam = webgpuFastPath() && (o.update ?? 'auto') === 'auto' ? WebGpuAdam : FusedAdam;
      return new Adam({
        learningRate: lr,
        beta1: unit('beta1', o.beta1 ?? 0.9),
        beta2: unit('beta2', o.beta2 ?? 0.999),
        epsilon: checkNumber(fn, 'epsilon', o.epsilon, { positive: true }),
        update: checkOneOf(fn, 'update', o.update ?? 'auto', ['kernels', 'js', 'auto'] as const),
      });
    }
    case 'sgd': {
      const momentum = checkNumber(fn, 'momentum', config.momentum ?? 0, { min: 0 });
      return momentum > 0 ? train.momentum(lr, momentum, config.nesterov ?? false) : train.sgd(lr);
    }
    case 'rmsprop': {
      const decay = unit('decay', config.decay ?? 0.9);
      const momentum = checkNumber(fn, 'momentum', config.momentum ?? 0, { min: 0 });
      return train.rmsprop(lr, decay, momentum, checkNumber(fn, 'epsilon', config.epsilon ?? 1e-8, { positive: true }));
    }
    default:
      throw new ValueError(
        fn,
        'unknown optimizer',
        "'adam' | 'sgd' | 'rmsprop'",
        String((config as { name: unknown }).name),
      );
  }
}

function definedEntries<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `instanceof` cannot tell tfjs optimizers apart (tfjs's Optimizer duck-types it with Symbol.hasInstance). */
export function isFusedAdam(optimizer: Optimizer): optimizer is FusedAdam {
  return Object.prototype.isPrototypeOf.call(FusedAdam.prototype, optimizer);
}

interface WithLearningRate {
  learningRate: number;
  setLearningRate?: (lr: number) => void;
}

/** The current learning rate of a FusedAdam, or of a tfjs Adam, SGD, momentum or RMSProp optimizer. */
export function getLearningRate(optimizer: Optimizer): number {
  if (isFusedAdam(optimizer)) return optimizer.config.learningRate;
  return (optimizer as unknown as WithLearningRate).learningRate;
}

/**
 * Sets the learning rate η of a tfjs optimizer in place (its slot variables are kept), for schedules.
 * @throws {ValueError} naming `setLearningRate` unless η is finite and ≥ 0 (a schedule may end at 0).
 * @example
 * const opt = createOptimizer({ name: 'adam', learningRate: 3e-4 });
 * setLearningRate(opt, 1e-4);
 * getLearningRate(opt); // 1e-4
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  checkNumber('setLearningRate', 'learningRate', learningRate, { min: 0 });
  if (isFusedAdam(optimizer)) {
    // FusedAdam reads its frozen config at every step; swap in a copy with the new rate (moments are kept).
    (optimizer as unknown as { config: FusedAdamConfig }).config = Object.freeze({ ...optimizer.config, learningRate });
    return;
  }
  const o = optimizer as unknown as WithLearningRate;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
