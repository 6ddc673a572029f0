import { checkInteger, type Rng, ValueError } from '@latentlab/core';
import { type Tensor, tensor } from '@tensorflow/tfjs-core';

/**
 * How a layer's weights are initialised.
 * - `'torch'`: PyTorch's `nn.Linear` / `nn.Conv2d` default, `kaiming_uniform_(a = √5)`, which reduces to
 *   W ~ U(−1/√fan_in, 1/√fan_in), and the same bound for the bias. Matching it matters to reproduce
 *   PyTorch's learning curves (e.g. pytorch/examples `vae/main.py`).
 * - `'glorot'`: Glorot & Bengio (2010) uniform, W ~ U(−√(6/(fan_in + fan_out)), +…), bias 0 (Keras's default).
 */
export type Initializer = 'torch' | 'glorot';

/** The accepted initialisers, for validation. */
export const INITIALIZERS: readonly Initializer[] = Object.freeze(['torch', 'glorot']);

/**
 * A weight tensor of `shape` drawn from `rng` (JS-side, so every backend sees the same numbers), with
 * fan_in / fan_out given by the caller (for a convolution fan_in = k·k·c_in, fan_out = k·k·c_out).
 *
 *     torch:  W ~ U(−1/√fan_in, 1/√fan_in)          glorot: W ~ U(−√(6/(fan_in+fan_out)), √(6/(fan_in+fan_out)))
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const w = initWeight('torch', [784, 400], 784, 400, createRng(0)); // U(−1/28, 1/28)
 */
export function initWeight(init: Initializer, shape: number[], fanIn: number, fanOut: number, rng: Rng): Tensor {
  checkFans('initWeight', fanIn, fanOut);
  checkInit('initWeight', init);
  const size = shape.reduce((a, b) => a * b, 1);
  const bound = init === 'torch' ? 1 / Math.sqrt(fanIn) : Math.sqrt(6 / (fanIn + fanOut));
  return tensor(rng.uniformArray(size, -bound, bound), shape, 'float32');
}

/**
 * A bias vector of length `units`: U(−1/√fan_in, 1/√fan_in) with `'torch'`, zeros with `'glorot'`.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const b = initBias('torch', 400, 784, createRng(0)); // U(−1/28, 1/28)
 */
export function initBias(init: Initializer, units: number, fanIn: number, rng: Rng): Tensor {
  checkFans('initBias', fanIn, units);
  checkInit('initBias', init);
  const bound = 1 / Math.sqrt(fanIn);
  const values = init === 'torch' ? rng.uniformArray(units, -bound, bound) : new Float32Array(units);
  return tensor(values, [units], 'float32');
}

function checkInit(fn: string, init: Initializer): void {
  if (!INITIALIZERS.includes(init))
    throw new ValueError(fn, 'unknown initializer', "'torch' or 'glorot'", String(init));
}

function checkFans(fn: string, fanIn: number, fanOut: number): void {
  checkInteger(fn, 'fanIn', fanIn, 1);
  checkInteger(fn, 'fanOut', fanOut, 1);
}
