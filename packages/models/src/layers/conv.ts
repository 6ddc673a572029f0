// Convolution layers ('same' padding, NHWC) built on the im2col ops of ops/im2col.ts: a convolution is one matrix
// product of the patches with the kernel, a transposed convolution the adjoint (col2im of x·W).
import type { Rng } from '@latentlab/core';
import {
  add,
  matMul,
  op,
  reshape,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  type Variable,
} from '@tensorflow/tfjs-core';
import type { ParameterSet } from '../model/parameter-set.js';
import { dense } from '../ops/dense.js';
import { col2im, type Im2colPlan, im2col, im2colPlan } from '../ops/im2col.js';
import { type Activation, activate } from './activation.js';
import { type Initializer, initBias, initWeight } from './init.js';

/**
 * A 2-D convolution with 'same' padding, NHWC layout, for one input size: x [batch, H, W, c_in] →
 * [batch, ⌈H/s⌉, ⌈W/s⌉, c_out]. The kernel is stored as a matrix W [k·k·c_in, c_out] (rows ordered
 * (ky, kx, c_in), i.e. a tfjs `[k, k, c_in, c_out]` filter flattened) and b [c_out].
 */
export interface ConvLayer {
  readonly w: Variable;
  readonly b: Variable;
  readonly plan: Im2colPlan;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly activation: Activation;
}

/**
 * The arguments of both layer factories. A convolution and its transposed counterpart connect the same two sides,
 * the image [H, W, c] and the strided map [⌈H/s⌉, ⌈W/s⌉, c′]; `image` is a convolution's input and a transposed
 * convolution's output, `channels` is c′.
 */
type ConvArgs = [
  params: ParameterSet,
  name: string,
  image: readonly [number, number, number],
  channels: number,
  kernelSize: number,
  stride: number,
  activation: Activation,
  init: Initializer,
  rng: Rng,
];

/**
 * Registers `${name}/w`, `${name}/b` and the im2col tables. Both kinds have fan_in = k·k·c and fan_out = k·k·c′:
 * a convolution's W is [k·k·c, c′]; a transposed convolution's is [c′, k·k·c], and k·k·c is also the fan_in
 * PyTorch's ConvTranspose2d computes from its weight [c′, c, k, k] (dimension 1 · k·k).
 */
function createConv(
  transposed: boolean,
  ...[params, name, [height, width, c], channels, kernelSize, stride, activation, init, rng]: ConvArgs
): ConvLayer {
  const k2 = kernelSize * kernelSize;
  const w = params.add(
    `${name}/w`,
    initWeight(init, transposed ? [channels, k2 * c] : [k2 * c, channels], k2 * c, k2 * channels, rng),
  );
  const outChannels = transposed ? c : channels;
  const b = params.add(`${name}/b`, initBias(init, outChannels, k2 * c, rng));
  const plan = im2colPlan(height, width, kernelSize, stride);
  params.addConstant(plan.forward);
  params.addConstant(plan.backward);
  return { w, b, plan, inChannels: transposed ? channels : c, outChannels, activation };
}

/**
 * Creates a {@link ConvLayer} for inputs [batch, height, width, inChannels] and `channels` outputs, registering
 * `${name}/w` and `${name}/b` (fan_in = k·k·c_in, fan_out = k·k·c_out) and keeping its im2col tables in `params`.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const x = tf.randomUniform([2, 28, 28, 1]) as tf.Tensor4D;
 * const conv = createConvLayer(params, 'encoder/conv0', [28, 28, 1], 16, 3, 2, 'relu', 'torch', rng);
 * const h = applyConvLayer(conv, x); // x [b, 28, 28, 1] → [b, 14, 14, 16]
 */
export const createConvLayer = (...args: ConvArgs): ConvLayer => createConv(false, ...args);

function applyConvLayer_(layer: ConvLayer, x: Tensor4D, xIsData = false): Tensor4D {
  const { outHeight, outWidth } = layer.plan;
  const cols = im2col(x, layer.plan); // [batch·outH·outW, k·k·c_in]
  const y = dense(cols, layer.w as Tensor2D, layer.b as Tensor1D, { inputGradient: !xIsData }); // [batch·outH·outW, c_out]
  return activate(reshape(y, [x.shape[0], outHeight, outWidth, layer.outChannels]), layer.activation);
}

/**
 * y = act(conv(x, W, stride s, 'same') + b), computed as im2col(x)·W + b (the product goes through `dense`).
 * `xIsData`: x is the model's input, so no gradient is computed with respect to it.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const conv = createConvLayer(params, 'encoder/conv0', [28, 28, 1], 16, 3, 2, 'relu', 'torch', rng);
 * const x = tf.randomUniform([2, 28, 28, 1]) as tf.Tensor4D;
 * const y = applyConvLayer(conv, x); // [b, 28, 28, 1] → [b, 14, 14, 16] with stride 2
 */
export const applyConvLayer = op({ applyConvLayer_ });

/**
 * A transposed ('fractionally strided') convolution, the adjoint of a stride-s 'same' convolution from
 * [H, W, c_out] to [⌈H/s⌉, ⌈W/s⌉, c_in]: x [batch, ⌈H/s⌉, ⌈W/s⌉, c_in] → [batch, H, W, c_out]. Each input pixel
 * spreads x·W (W [c_in, k·k·c_out]) over a k×k window, overlapping windows add up, then + b and the activation.
 */
export type ConvTransposeLayer = ConvLayer;

/**
 * Creates a {@link ConvTransposeLayer} producing [batch, height, width, outChannels] from inputs of size
 * [⌈height/s⌉, ⌈width/s⌉, `channels`]. fan_in = k·k·c_out, as PyTorch's ConvTranspose2d computes it from its
 * weight [c_in, c_out, k, k].
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const h = tf.randomUniform([2, 14, 14, 32]) as tf.Tensor4D;
 * const up = createConvTransposeLayer(params, 'decoder/up0', [28, 28, 16], 32, 3, 2, 'relu', 'torch', rng);
 * applyConvTransposeLayer(up, h); // [b, 14, 14, 32] → [b, 28, 28, 16]
 */
export const createConvTransposeLayer = (...args: ConvArgs): ConvTransposeLayer => createConv(true, ...args);

function applyConvTransposeLayer_(layer: ConvTransposeLayer, x: Tensor4D): Tensor4D {
  const [batch, h, w, c] = x.shape;
  const k2 = layer.plan.kernelSize ** 2;
  // One row per input pixel: [batch·h·w, c_in]·[c_in, k·k·c_out]; zero bias here, b is added per output pixel.
  const spread = matMul(reshape(x, [batch * h * w, c]), layer.w as Tensor2D); // [batch·h·w, k·k·c_out]
  const y = col2im(reshape(spread, [batch * h * w, k2 * layer.outChannels]), layer.plan);
  return activate(add(y, layer.b), layer.activation);
}

/**
 * y = act(convTranspose(x, W, stride s, 'same') + b) as col2im(x·W) + b: the adjoint of `applyConvLayer`'s
 * linear part, equal to `tf.conv2dTranspose` with 'same' padding and the output size of the plan.
 *
 * @example
 * import { createRng } from '@latentlab/core';
 * const [params, rng] = [new ParameterSet(), createRng(0)];
 * const up = createConvTransposeLayer(params, 'decoder/up1', [14, 14, 32], 64, 3, 2, 'relu', 'torch', rng);
 * const h = tf.randomUniform([2, 7, 7, 64]) as tf.Tensor4D;
 * applyConvTransposeLayer(up, h); // [b, 7, 7, 64] → [b, 14, 14, 32] with stride 2
 */
export const applyConvTransposeLayer = op({ applyConvTransposeLayer_ });
