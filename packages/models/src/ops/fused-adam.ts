import { ValueError } from '@latentlab/core';
import {
  add,
  dispose,
  div,
  engine,
  mul,
  type NamedTensorMap,
  Optimizer,
  scalar,
  type serialization,
  sqrt,
  square,
  sub,
  type Tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';

/** A named tensor, as tfjs optimizers save and load their state. */
type NamedTensor = { name: string; tensor: Tensor };

/** Hyperparameters of {@link FusedAdam}; the defaults are PyTorch's and pytorch/examples vae/main.py's (lr 1e-3). */
export interface FusedAdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_FUSED_ADAM_CONFIG: FusedAdamConfig = Object.freeze({
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});

function checkConfig(c: FusedAdamConfig): void {
  const bad = (name: string, expected: string, v: number) => {
    throw new ValueError('FusedAdam', `${name} is out of range`, expected, String(v));
  };
  if (!(Number.isFinite(c.learningRate) && c.learningRate > 0))
    bad('learningRate', 'a finite number > 0', c.learningRate);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('beta1', 'a number in [0, 1)', c.beta1);
  if (!(c.beta2 >= 0 && c.beta2 < 1)) bad('beta2', 'a number in [0, 1)', c.beta2);
  if (!(Number.isFinite(c.epsilon) && c.epsilon > 0)) bad('epsilon', 'a finite number > 0', c.epsilon);
}

/**
 * Adam (Kingma & Ba 2015) with the update written in 12 element-wise kernels per variable instead of tfjs's 14
 * plus 6 scalar uploads, the bias corrections folded into two per-step scalars (as PyTorch's `torch.optim.Adam`):
 *
 *     m ← m + (1 − β₁)(g − m)          v ← v + (1 − β₂)(g² − v)          t = step number (1, 2, …)
 *     w ← w − α_t · m / (√v + ε̂_t),    α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ),   ε̂_t = ε·√(1 − β₂ᵗ)
 *
 * which is exactly w ← w − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). A drop-in tfjs `Optimizer`
 * (`minimize`, `applyGradients`, `getWeights`/`setWeights` with tfjs Adam's layout: iterations, then the `…/m`
 * moments, then the `…/v` ones). Moments are kept per variable name. Dispose it when done.
 *
 * @example
 * const optimizer = new FusedAdam({ learningRate: 1e-3 });
 * optimizer.minimize(() => loss(params, x), false, variables);
 * optimizer.dispose();
 */
export class FusedAdam extends Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'FusedAdam';
  }

  /** The hyperparameters (frozen; replaced as a whole when {@link FusedAdam.learningRate} is set). */
  config: FusedAdamConfig;
  readonly #m = new Map<string, Variable>();
  readonly #v = new Map<string, Variable>();

  constructor(config: Partial<FusedAdamConfig> = {}) {
    super();
    this.config = Object.freeze({ ...DEFAULT_FUSED_ADAM_CONFIG, ...config });
    checkConfig(this.config);
  }

  /** The learning rate lr, read at every step: set it between steps for a schedule (moments are kept). */
  get learningRate(): number {
    return this.config.learningRate;
  }

  set learningRate(learningRate: number) {
    const config = { ...this.config, learningRate };
    checkConfig(config);
    this.config = Object.freeze(config);
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const grads: Array<[string, Tensor]> = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const t = this.iterations + 1;
    const bc1 = 1 - beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    tidy(() => {
      const c1 = scalar(1 - beta1);
      const c2 = scalar(1 - beta2);
      const alpha = scalar((learningRate * bc2Sqrt) / bc1);
      const epsHat = scalar(epsilon * bc2Sqrt);
      for (const [name, g] of grads) {
        if (g == null) continue;
        const w = engine().registeredVariables[name];
        if (w == null) {
          throw new ValueError(
            'FusedAdam.applyGradients',
            'no variable has this name',
            'the name of a registered variable',
            name,
          );
        }
        const m = this.#moment(this.#m, name, w);
        const v = this.#moment(this.#v, name, w);
        const mNew = add(m, mul(sub(g, m), c1));
        const vNew = add(v, mul(sub(square(g), v), c2));
        m.assign(mNew);
        v.assign(vNew);
        w.assign(sub(w, div(mul(mNew, alpha), add(sqrt(vNew), epsHat))));
      }
    });
    this.incrementIterations();
  }

  #moment(store: Map<string, Variable>, name: string, w: Variable): Variable {
    let moment = store.get(name);
    if (!moment) {
      moment = tidy(() => zerosLike(w).variable(false));
      store.set(name, moment);
    }
    return moment;
  }

  override dispose(): void {
    dispose([...this.#m.values(), ...this.#v.values()]);
    this.#m.clear();
    this.#v.clear();
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const named = (store: Map<string, Variable>, suffix: string) =>
      [...store].map(([name, tensor]) => ({ name: `${name}/${suffix}`, tensor }));
    return [await this.saveIterations(), ...named(this.#m, 'm'), ...named(this.#v, 'v')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    dispose([...this.#m.values(), ...this.#v.values()]);
    this.#m.clear();
    this.#v.clear();
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const store = name.slice(cut + 1) === 'm' ? this.#m : name.slice(cut + 1) === 'v' ? this.#v : null;
      if (cut < 0 || !store) {
        throw new ValueError(
          'FusedAdam.setWeights',
          'a weight has an unknown name',
          "'<variable>/m' or '<variable>/v'",
          name,
        );
      }
      store.set(name.slice(0, cut), tensor.variable(false));
    }
  }

  override getConfig(): serialization.ConfigDict {
    return { ...this.config };
  }

  /** @nocollapse */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
