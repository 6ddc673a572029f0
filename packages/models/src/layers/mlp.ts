import type { Rng } from '@latentlab/core';
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { ParameterSet } from '../model/parameter-set.js';
import { dense } from '../ops/dense.js';
import { denseRelu } from '../ops/dense-relu.js';
import { type Activation, activate } from './activation.js';
import { type Initializer, initBias, initWeight } from './init.js';

/** A fully connected layer: y = act(x·W + b), W: [inUnits, outUnits], b: [outUnits]. */
export interface DenseLayer {
  readonly w: Variable;
  readonly b: Variable;
  readonly activation: Activation;
}

/**
 * Creates a {@link DenseLayer}, registering `${name}/w` and `${name}/b` in `params`.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const params = new ParameterSet();
 * const x = tf.randomUniform([8, 784]) as tf.Tensor2D;
 * const fc1 = createDenseLayer(params, 'encoder/0', 784, 400, 'relu', 'torch', createRng(0));
 * const h = applyDenseLayer(fc1, x); // [8, 400]
 */
export function createDenseLayer(
  params: ParameterSet,
  name: string,
  inUnits: number,
  outUnits: number,
  activation: Activation,
  init: Initializer,
  rng: Rng,
): DenseLayer {
  const w = params.add(`${name}/w`, initWeight(init, [inUnits, outUnits], inUnits, outUnits, rng));
  const b = params.add(`${name}/b`, initBias(init, outUnits, inUnits, rng));
  return { w, b, activation };
}

/**
 * y = act(x·W + b): x [batch, inUnits] → [batch, outUnits], through the ops of `src/ops` (`denseRelu` for a
 * ReLU layer, `dense` otherwise). `xIsData`: x is the model's input, so no ∂L/∂x is computed (it saves one
 * matMul per step; x then gets no gradient through this layer).
 */
export function applyDenseLayer(layer: DenseLayer, x: Tensor2D, xIsData = false): Tensor2D {
  const options = { inputGradient: !xIsData };
  if (layer.activation === 'relu') return denseRelu(x, layer.w as Tensor2D, layer.b as Tensor1D, options);
  return activate(dense(x, layer.w as Tensor2D, layer.b as Tensor1D, options), layer.activation);
}

/**
 * A multilayer perceptron: sizes [n₀, n₁, …, n_L] give L dense layers n_{l−1} → n_l, each followed by
 * `activation` except the last, which uses `outputActivation`.
 *
 *     h₀ = x,   h_l = act_l(h_{l−1}·W_l + b_l)
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const z = tf.randomNormal([8, 20]) as tf.Tensor2D;
 * const mlp = new Mlp(params, 'decoder', [20, 400, 784], 'relu', 'linear', 'torch', rng); // logits
 * const logits = mlp.apply(z); // [8, 784]
 */
export class Mlp {
  readonly layers: readonly DenseLayer[];

  constructor(
    params: ParameterSet,
    name: string,
    sizes: readonly number[],
    activation: Activation,
    outputActivation: Activation,
    init: Initializer,
    rng: Rng,
  ) {
    const layers: DenseLayer[] = [];
    for (let l = 1; l < sizes.length; l++) {
      const act = l === sizes.length - 1 ? outputActivation : activation;
      layers.push(createDenseLayer(params, `${name}/${l - 1}`, sizes[l - 1]!, sizes[l]!, act, init, rng));
    }
    this.layers = layers;
  }

  /** x [batch, n₀] → [batch, n_L] (x itself when there are no layers); `xIsData` as in {@link applyDenseLayer}. */
  apply(x: Tensor2D, xIsData = false): Tensor2D {
    return this.layers.reduce((h, layer, l) => applyDenseLayer(layer, h, xIsData && l === 0), x);
  }
}
