import { formatShape, ShapeError, ValueError } from '@latentlab/core';
import { clone, type Tensor, Tensor as TensorClass, type Variable, variable } from '@tensorflow/tfjs-core';

/**
 * The named trainable variables of a model (`encoder/0/w`, `vae/mu/b`, ...). The names are ours, stable and
 * human-readable, so weights can be saved and restored by name; the tfjs variables themselves stay unnamed
 * (tfjs's variable registry is global, and two models with the same layer names would collide).
 *
 * @example
 * const params = new ParameterSet();
 * const w = params.add('dense/w', tf.zeros([3, 2]));   // takes ownership of the initial tensor
 * const saved = params.getWeights();                    // { 'dense/w': Tensor [3, 2] } (copies: dispose them)
 * params.setWeights(saved);
 * params.dispose();
 */
export class ParameterSet {
  readonly #vars = new Map<string, Variable>();
  readonly #constants: Tensor[] = [];

  /** Registers a trainable variable initialised to `initial` (which it takes over and disposes, even on error). */
  add(name: string, initial: Tensor): Variable {
    if (this.#vars.has(name)) {
      initial.dispose();
      throw new ValueError('ParameterSet.add', 'duplicate variable name', 'a new name', name);
    }
    const v = variable(initial, true);
    initial.dispose();
    this.#vars.set(name, v);
    return v;
  }

  /** Keeps a non-trainable tensor (e.g. an index table) alive until {@link dispose}; returns it. */
  addConstant<T extends Tensor>(t: T): T {
    this.#constants.push(t);
    return t;
  }

  /** The variables in registration order. */
  get variables(): Variable[] {
    return [...this.#vars.values()];
  }

  /** The variable names in registration order. */
  get names(): string[] {
    return [...this.#vars.keys()];
  }

  /** Number of scalar parameters. */
  get size(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** A copy of every variable's value by name; the caller owns (and disposes) the returned tensors. */
  getWeights(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, v] of this.#vars) out[name] = clone(v);
    return out;
  }

  /**
   * Sets every variable from `weights` (same names and shapes as {@link getWeights}; the tensors stay the
   * caller's). Everything is checked before anything is assigned, so a bad map leaves the weights unchanged.
   * @throws {ValueError} a name is missing or unknown. @throws {ShapeError} a shape differs.
   */
  setWeights(weights: Record<string, Tensor>, fn = 'setWeights'): void {
    if (weights === null || typeof weights !== 'object') {
      throw new ValueError(fn, 'weights is not a record', 'Record<string, Tensor>', String(weights));
    }
    const missing = this.names.filter((n) => !(n in weights));
    const unknown = Object.keys(weights).filter((n) => !this.#vars.has(n));
    if (missing.length > 0 || unknown.length > 0) {
      throw new ValueError(
        fn,
        'weights do not match the model’s variables',
        `exactly the names ${this.names.join(', ')}`,
        `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}`,
      );
    }
    for (const [name, v] of this.#vars) {
      const w = weights[name];
      if (
        !(w instanceof TensorClass) ||
        w.dtype !== v.dtype ||
        w.rank !== v.rank ||
        w.shape.some((d, i) => d !== v.shape[i])
      ) {
        throw new ShapeError(
          fn,
          `weight ${name} has the wrong shape or dtype`,
          `${v.dtype} ${formatShape(v.shape)}`,
          w instanceof TensorClass ? `${w.dtype} ${formatShape(w.shape)}` : String(w),
        );
      }
    }
    for (const [name, v] of this.#vars) v.assign(weights[name] as Tensor);
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const v of this.#vars.values()) v.dispose();
    this.#vars.clear();
    for (const t of this.#constants) t.dispose();
    this.#constants.length = 0;
  }
}
