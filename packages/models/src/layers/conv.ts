import type { Rng } from '@latentlab/core';
import {
  concat,
  op,
  pad,
  reshape,
  slice,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  type Variable,
} from '@tensorflow/tfjs-core';
import { dense } from '../ops/dense.js';
import { type Activation, activate } from './activation.js';
import { type Initializer, initBias, initWeight } from './init.js';
import type { ParameterSet } from './params.js';

/**
 * A 2-D convolution with 'same' padding, NHWC layout: x [batch, H, W, c_in] → [batch, ⌈H/s⌉, ⌈W/s⌉, c_out].
 * The kernel is stored as a matrix W [k·k·c_in, c_out] (rows ordered (ky, kx, c_in), i.e. a tfjs
 * `[k, k, c_in, c_out]` filter flattened) and b [c_out].
 */
export interface ConvLayer {
  readonly w: Variable;
  readonly b: Variable;
  readonly kernelSize: number;
  readonly stride: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly activation: Activation;
}

/**
 * Creates a {@link ConvLayer}, registering `${name}/w` and `${name}/b` (fan_in = k·k·c_in, fan_out = k·k·c_out).
 *
 * @example
 * const conv = createConvLayer(params, 'encoder/conv0', 1, 16, 3, 2, 'relu', 'torch', rng);
 * const h = applyConvLayer(conv, x); // x [b, 28, 28, 1] → [b, 14, 14, 16]
 */
export function createConvLayer(
  params: ParameterSet,
  name: string,
  inChannels: number,
  outChannels: number,
  kernelSize: number,
  stride: number,
  activation: Activation,
  init: Initializer,
  rng: Rng,
): ConvLayer {
  const k2 = kernelSize * kernelSize;
  const w = params.add(
    `${name}/w`,
    initWeight(init, [k2 * inChannels, outChannels], k2 * inChannels, k2 * outChannels, rng),
  );
  const b = params.add(`${name}/b`, initBias(init, outChannels, k2 * inChannels, rng));
  return { w, b, kernelSize, stride, inChannels, outChannels, activation };
}

function im2col_(x: Tensor4D, k: number, s: number): Tensor2D {
  const [batch, h, w, c] = x.shape;
  const ho = Math.ceil(h / s);
  const wo = Math.ceil(w / s);
  // 'same' padding (TensorFlow's convention): total = max((out − 1)·s + k − in, 0), top/left = ⌊total/2⌋;
  // s − 1 extra zero rows/columns at the bottom/right let every shifted view below span s·out positions.
  const padH = Math.max((ho - 1) * s + k - h, 0);
  const padW = Math.max((wo - 1) * s + k - w, 0);
  const top = Math.floor(padH / 2);
  const left = Math.floor(padW / 2);
  const xp = pad(x, [
    [0, 0],
    [top, padH - top + s - 1],
    [left, padW - left + s - 1],
    [0, 0],
  ]);
  const columns: Tensor4D[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      // Positions ky + s·i, kx + s·j for i < ho, j < wo: a contiguous window, then every s-th row and column.
      let p = slice(xp, [0, ky, kx, 0], [batch, s * ho, s * wo, c]); // [batch, s·ho, s·wo, c]
      if (s > 1) {
        p = reshape(p, [batch * ho, s, wo, s * c]);
        p = reshape(slice(p, [0, 0, 0, 0], [batch * ho, 1, wo, c]), [batch, ho, wo, c]);
      }
      columns.push(p);
    }
  }
  return reshape(concat(columns, 3), [batch * ho * wo, k * k * c]); // [batch·ho·wo, k·k·c]
}

/**
 * im2col: the k×k patches of x (NHWC, 'same' padding, stride s) as rows, so that a convolution is one matrix
 * product. Built from pad/slice/reshape/concat only, whose gradients every backend has (the wasm backend has
 * no Conv2DBackpropFilter kernel, so `tf.conv2d` cannot be trained there).
 *
 *     cols[(b, i, j), (ky, kx, c)] = x_pad[b, s·i + ky, s·j + kx, c]
 *
 * @example
 * im2col(tf.ones([1, 4, 4, 1]), 3, 2).shape; // [4, 9]
 */
export const im2col = op({ im2col_ });

function applyConvLayer_(layer: ConvLayer, x: Tensor4D): Tensor4D {
  const [batch, h, w] = x.shape;
  const ho = Math.ceil(h / layer.stride);
  const wo = Math.ceil(w / layer.stride);
  const cols = im2col(x, layer.kernelSize, layer.stride);
  const y = dense(cols, layer.w as Tensor2D, layer.b as Tensor1D); // [batch·ho·wo, c_out]
  return activate(reshape(y, [batch, ho, wo, layer.outChannels]), layer.activation);
}

/**
 * y = act(conv(x, W, stride s, 'same') + b) as im2col(x)·W + b (the matrix product goes through `dense`).
 *
 * @example
 * const y = applyConvLayer(conv, x); // [b, 28, 28, 1] → [b, 14, 14, 16] with stride 2
 */
export const applyConvLayer = op({ applyConvLayer_ });

function upsample2x_(x: Tensor4D): Tensor4D {
  const [batch, h, w, c] = x.shape;
  const wide = reshape(concat([x, x], 3), [batch, h, 2 * w, c]); // each pixel twice along the width
  return reshape(concat([wide, wide], 2), [batch, 2 * h, 2 * w, c]); // each row twice
}

/**
 * Nearest-neighbour upsampling by 2: y[b, i, j, c] = x[b, ⌊i/2⌋, ⌊j/2⌋, c]. Followed by a stride-1
 * convolution it replaces a transposed convolution without checkerboard artefacts (Odena et al. 2016).
 *
 * @example
 * upsample2x(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])); // [[1,1,2,2],[1,1,2,2],[3,3,4,4],[3,3,4,4]]
 */
export const upsample2x = op({ upsample2x_ });
