import { elu, leakyRelu, op, relu, sigmoid, type Tensor, tanh } from '@tensorflow/tfjs-core';

/** The element-wise nonlinearities a layer can apply after its affine map. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'leakyRelu' | 'linear';

/** Every {@link Activation}, for validation. */
export const ACTIVATIONS: readonly Activation[] = Object.freeze([
  'relu',
  'tanh',
  'sigmoid',
  'elu',
  'leakyRelu',
  'linear',
]);

function activate_<T extends Tensor>(x: T, activation: Activation): T {
  switch (activation) {
    case 'relu':
      return relu(x);
    case 'tanh':
      return tanh(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'elu':
      return elu(x);
    case 'leakyRelu':
      return leakyRelu(x, 0.2);
    default:
      return x;
  }
}

/**
 * Applies a named nonlinearity element-wise: relu(x) = max(x, 0), tanh, sigmoid(x) = 1/(1 + e^−x),
 * elu(x) = x for x > 0 else e^x − 1, leakyRelu(x) = max(x, 0.2x), linear(x) = x.
 *
 * @example
 * activate(tf.tensor1d([-1, 2]), 'relu'); // [0, 2]
 */
export const activate = op({ activate_ });
