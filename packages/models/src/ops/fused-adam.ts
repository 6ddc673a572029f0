import { ValueError } from '@latentlab/core';
import {
  add,
  dispose,
  div,
  engine,
  getBackend,
  mul,
  type NamedTensorMap,
  Optimizer,
  scalar,
  type serialization,
  sqrt,
  square,
  sub,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { type AdamStepScalars, adamStepScalars, adamUpdate } from './adam-update.js';
import { wasmAdam, wasmAdamAvailable } from './wasm/adam.js';

/** A named tensor, as tfjs optimizers save and load their state. */
type NamedTensor = { name: string; tensor: Tensor };

/**
 * Where `FusedAdam` computes the update: `'kernels'`, 12 element-wise backend kernels per variable (on wasm, one
 * SIMD kernel of our own, `src/ops/wasm/adam.ts`, where the engine has 128-bit SIMD);
 * `'js'`, one fused JavaScript loop per variable over the gradient and weights read back (`dataSync`), the
 * moments kept as Float32Arrays and the new weights uploaded (two copies, no kernel launches: fast where
 * tensors live in CPU memory); `'auto'`, `'js'` on the `cpu` backend (≈ 20× faster than its kernels for the
 * reference VAE's 630 k parameters), `'kernels'` elsewhere (on wasm the SIMD kernel is faster than the loop:
 * bench/vae-throughput.bench.ts; WebGL/WebGPU would stall on a read-back). `'js'` is refused on webgpu, whose synchronous reads return zeros.
 */
export type FusedAdamUpdate = 'kernels' | 'js' | 'auto';

/** Hyperparameters of {@link FusedAdam}; the defaults are PyTorch's and pytorch/examples vae/main.py's (lr 1e-3). */
export interface FusedAdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** See {@link FusedAdamUpdate} (default `'auto'`); both give the same update up to float32 rounding. */
  readonly update: FusedAdamUpdate;
}

export const DEFAULT_FUSED_ADAM_CONFIG: FusedAdamConfig = Object.freeze({
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  update: 'auto',
});

const UPDATES: readonly FusedAdamUpdate[] = ['kernels', 'js', 'auto'];

/** A moment: a tfjs variable (kernel path, saved state) or a Float32Array (JavaScript path). */
type Moment = Variable | Float32Array;

function checkConfig(c: FusedAdamConfig): void {
  const bad = (name: string, expected: string, v: number) => {
    throw new ValueError('FusedAdam', `${name} is out of range`, expected, String(v));
  };
  if (!(Number.isFinite(c.learningRate) && c.learningRate > 0))
    bad('learningRate', 'a finite number > 0', c.learningRate);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('beta1', 'a number in [0, 1)', c.beta1);
  if (!(c.beta2 >= 0 && c.beta2 < 1)) bad('beta2', 'a number in [0, 1)', c.beta2);
  if (!(Number.isFinite(c.epsilon) && c.epsilon > 0)) bad('epsilon', 'a finite number > 0', c.epsilon);
  if (!UPDATES.includes(c.update)) {
    throw new ValueError('FusedAdam', 'update is unknown', "'kernels' | 'js' | 'auto'", String(c.update));
  }
}

/**
 * Adam (Kingma & Ba 2015) with the update written in 12 element-wise kernels per variable (one SIMD kernel on wasm)
 * instead of tfjs's 14 plus 6 scalar uploads, the bias corrections folded into two per-step scalars (as PyTorch's `torch.optim.Adam`):
 *
 *     m ← m + (1 − β₁)(g − m)          v ← v + (1 − β₂)(g² − v)          t = step number (1, 2, …)
 *     w ← w − α_t · m / (√v + ε̂_t),    α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ),   ε̂_t = ε·√(1 − β₂ᵗ)
 *
 * which is exactly w ← w − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). With `update: 'js'` (the
 * default on cpu, see {@link FusedAdamUpdate}) the same formula runs as one JavaScript loop per variable
 * instead of 12 kernel launches, whose fixed cost dominates for small variables. A drop-in tfjs `Optimizer`
 * (`minimize`, `applyGradients`, `getWeights`/`setWeights` with tfjs Adam's layout: iterations, then the `…/m`
 * moments, then the `…/v` ones). Moments are kept per variable name. Dispose it when done.
 *
 * @example
 * const w = tf.variable(tf.zeros([3, 1]), true, 'dense/w');
 * const x = tf.ones([4, 3]);
 * const loss = () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), 1))) as tf.Scalar;
 * const optimizer = new FusedAdam({ learningRate: 1e-3 });
 * optimizer.minimize(loss, false, [w]);
 * optimizer.dispose();
 */
export class FusedAdam extends Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'FusedAdam';
  }

  /** The hyperparameters (frozen; replaced as a whole when {@link FusedAdam.learningRate} is set). */
  config: FusedAdamConfig;
  readonly #m = new Map<string, Moment>();
  readonly #v = new Map<string, Moment>();

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
    const { update } = this.config;
    const step = adamStepScalars(this.config, this.iterations + 1);
    const { alpha, epsHat } = step;
    // 'auto': the JavaScript loop on cpu (≈ 20× faster there than its kernels); on wasm the SIMD kernel is faster
    // than the loop (bench/vae-throughput.bench.ts), and WebGL/WebGPU would stall on the read-back.
    const js = update === 'js' || (update === 'auto' && getBackend() === 'cpu');
    if (js && getBackend() === 'webgpu') {
      // dataSync() on webgpu returns zeros for GPU-computed tensors (tfjs-backend-webgpu 4.22): refuse, not corrupt.
      throw new ValueError(
        'FusedAdam.applyGradients',
        "update 'js' reads the weights back synchronously, which webgpu cannot do",
        "update 'kernels' or 'auto' on webgpu",
        "'js'",
      );
    }
    const named: Array<[string, Tensor, Variable]> = [];
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
      named.push([name, g, w]);
    }
    if (js) {
      for (const [name, g, w] of named) this.#stepJs(name, g, w, step);
    } else if (wasmAdamAvailable()) {
      for (const [name, g, w] of named) {
        const m = this.#momentVariable(this.#m, name, w.shape);
        const v = this.#momentVariable(this.#v, name, w.shape);
        const [mNew, vNew, wNew] = wasmAdam(g, m, v, w, step); // one SIMD pass instead of 12 kernels
        m.assign(mNew);
        v.assign(vNew);
        w.assign(wNew);
        dispose([mNew, vNew, wNew]);
      }
    } else {
      tidy(() => {
        const c1 = scalar(step.c1);
        const c2 = scalar(step.c2);
        const alphaT = scalar(alpha);
        const epsHatT = scalar(epsHat);
        for (const [name, g, w] of named) {
          const m = this.#momentVariable(this.#m, name, w.shape);
          const v = this.#momentVariable(this.#v, name, w.shape);
          const mNew = add(m, mul(sub(g, m), c1));
          const vNew = add(v, mul(sub(square(g), v), c2));
          m.assign(mNew);
          v.assign(vNew);
          w.assign(sub(w, div(mul(mNew, alphaT), add(sqrt(vNew), epsHatT))));
        }
      });
    }
    this.incrementIterations();
  }

  /** The update of one variable in JavaScript: one pass over g, m, v and w (float64 arithmetic, float32 storage). */
  #stepJs(name: string, g: Tensor, w: Variable, step: AdamStepScalars): void {
    const m = this.#momentArray(this.#m, name, w);
    const v = this.#momentArray(this.#v, name, w);
    const ws = w.dataSync();
    const out = new Float32Array(ws.length); // a fresh buffer: the cpu backend keeps the array it is given
    adamUpdate(step, g.dataSync(), m, v, ws, out);
    const next = tensor(out, w.shape, 'float32');
    w.assign(next);
    next.dispose();
  }

  /** The moment as a variable (created as zeros, or uploaded from the JavaScript path's array). */
  #momentVariable(store: Map<string, Moment>, name: string, shape: readonly number[]): Variable {
    const moment = store.get(name);
    if (moment instanceof Float32Array) {
      const variable = tidy(() => tensor(moment, [...shape], 'float32').variable(false));
      store.set(name, variable);
      return variable;
    }
    if (moment) return moment;
    const variable = tidy(() => zeros([...shape]).variable(false));
    store.set(name, variable);
    return variable;
  }

  /** The moment as a Float32Array (created as zeros, or read back from a variable, which is then disposed). */
  #momentArray(store: Map<string, Moment>, name: string, w: Variable): Float32Array {
    const moment = store.get(name);
    if (moment instanceof Float32Array) return moment;
    const array = moment ? Float32Array.from(moment.dataSync()) : new Float32Array(w.size);
    moment?.dispose();
    store.set(name, array);
    return array;
  }

  /** The variables among the moments (the JavaScript path's arrays need no disposing). */
  #momentVariables(): Variable[] {
    return [...this.#m.values(), ...this.#v.values()].filter((m): m is Variable => !(m instanceof Float32Array));
  }

  override dispose(): void {
    dispose(this.#momentVariables());
    this.#m.clear();
    this.#v.clear();
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    // Moments held as arrays become variables again (the returned tensors stay owned by the optimizer).
    const named = (store: Map<string, Moment>, suffix: string) =>
      [...store.keys()].map((name) => {
        const moment = store.get(name)!;
        const shape = engine().registeredVariables[name]?.shape ?? [moment instanceof Float32Array ? moment.length : 0];
        const tensor = moment instanceof Float32Array ? this.#momentVariable(store, name, shape) : moment;
        return { name: `${name}/${suffix}`, tensor };
      });
    return [await this.saveIterations(), ...named(this.#m, 'm'), ...named(this.#v, 'v')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    dispose(this.#momentVariables());
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
