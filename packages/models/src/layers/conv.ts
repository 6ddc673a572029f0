import type { Rng } from '@latentlab/core';
import {
  add,
  concat,
  customGrad,
  type GradSaveFunc,
  gather,
  matMul,
  op,
  reshape,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  tensor1d,
  type Variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { dense } from '../ops/dense.js';
import { type Activation, activate } from './activation.js';
import { type Initializer, initBias, initWeight } from './init.js';
import type { ParameterSet } from './params.js';

/**
 * The index tables of an im2col for one input size (k×k kernel, stride s, TensorFlow's 'same' padding:
 * out = ⌈in/s⌉, total padding max((out − 1)·s + k − in, 0), ⌊total/2⌋ of it before). Pixels are numbered
 * p = y·W + x; index H·W stands for a zero (padding).
 */
export interface Im2colPlan {
  readonly height: number;
  readonly width: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /** [outH·outW·k·k] int32: the pixel read by column entry (i, j, ky, kx), or H·W for padding. */
  readonly forward: Tensor1D;
  /** [H·W·m] int32: for pixel p, the m column entries that read it (padded with outH·outW·k·k, a zero). */
  readonly backward: Tensor1D;
  /** The most column entries that read one pixel, ⌈k/s⌉². */
  readonly fanOut: number;
}

/**
 * Builds the two index tables of {@link im2col} for inputs of size height × width (the caller disposes
 * `forward` and `backward`).
 *
 * @example
 * const plan = im2colPlan(28, 28, 3, 2); // outHeight = outWidth = 14, forward: [14·14·9]
 */
export function im2colPlan(height: number, width: number, kernelSize: number, stride: number): Im2colPlan {
  const k = kernelSize;
  const s = stride;
  const outHeight = Math.ceil(height / s);
  const outWidth = Math.ceil(width / s);
  const top = Math.floor(Math.max((outHeight - 1) * s + k - height, 0) / 2);
  const left = Math.floor(Math.max((outWidth - 1) * s + k - width, 0) / 2);
  const pixels = height * width;
  const entries = outHeight * outWidth * k * k;
  const fwd = new Int32Array(entries);
  const readers: number[][] = Array.from({ length: pixels }, () => []);
  let e = 0;
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++, e++) {
          const y = i * s + ky - top;
          const x = j * s + kx - left;
          const inside = y >= 0 && y < height && x >= 0 && x < width;
          fwd[e] = inside ? y * width + x : pixels;
          if (inside) readers[y * width + x]!.push(e);
        }
      }
    }
  }
  const fanOut = Math.max(1, ...readers.map((r) => r.length));
  const bwd = new Int32Array(pixels * fanOut).fill(entries);
  for (let p = 0; p < pixels; p++) bwd.set(readers[p]!, p * fanOut);
  return {
    height,
    width,
    kernelSize,
    stride,
    outHeight,
    outWidth,
    forward: tensor1d(fwd, 'int32'),
    backward: tensor1d(bwd, 'int32'),
    fanOut,
  };
}

/** Appends a zero row along axis 1: [b, n, c] → [b, n + 1, c]. */
function withZeroRow(t: Tensor): Tensor {
  const [b, , c] = t.shape as [number, number, number];
  return concat([t, zeros([b, 1, c])], 1);
}

/** x [batch, H, W, c] → columns [batch·outH·outW, k·k·c] (no gradient: see {@link im2col}). */
function gatherColumns(x: Tensor, plan: Im2colPlan): Tensor2D {
  const [batch, , , c] = x.shape as [number, number, number, number];
  const { height: h, width: w, outHeight: ho, outWidth: wo, kernelSize: k } = plan;
  const rows = withZeroRow(reshape(x, [batch, h * w, c])); // [batch, h·w + 1, c]
  return reshape(gather(rows, plan.forward, 1), [batch * ho * wo, k * k * c]);
}

/** columns [batch·outH·outW, k·k·c] → image [batch, H, W, c], each pixel the sum of the entries that read it. */
function scatterColumns(cols: Tensor, plan: Im2colPlan): Tensor4D {
  const { height: h, width: w, outHeight: ho, outWidth: wo, kernelSize: k, fanOut } = plan;
  const c = cols.shape[1]! / (k * k);
  const batch = cols.shape[0]! / (ho * wo);
  const entries = withZeroRow(reshape(cols, [batch, ho * wo * k * k, c])); // [batch, entries + 1, c]
  const picked = reshape(gather(entries, plan.backward, 1), [batch, h * w, fanOut, c]);
  return reshape(sum(picked, 2), [batch, h, w, c]);
}

function im2col_(x: Tensor4D, plan: Im2colPlan): Tensor2D {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => ({
    value: gatherColumns(args[0] as Tensor, plan),
    gradFunc: (dy: Tensor) => scatterColumns(dy, plan),
  }));
  return f(x) as Tensor2D;
}

/**
 * im2col: the k×k patches of x [batch, H, W, c] (stride s, 'same' padding) as rows, so that a convolution is
 * one matrix product:
 *
 *     cols[(b, i, j), (ky, kx, c)] = x_pad[b, s·i + ky, s·j + kx, c]          → [batch·outH·outW, k·k·c]
 *
 * One `gather` forward; its gradient is {@link col2im} (the adjoint). Every backend has these kernels (the
 * wasm backend has no Conv2DBackpropFilter, so `tf.conv2d` cannot be trained there, and no
 * UnsortedSegmentSum, the gradient tfjs would give `gather`).
 *
 * @example
 * const plan = im2colPlan(4, 4, 3, 2);
 * im2col(tf.ones([1, 4, 4, 1]), plan).shape; // [4, 9]
 */
export const im2col = op({ im2col_ });

function col2im_(cols: Tensor2D, plan: Im2colPlan): Tensor4D {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => ({
    value: scatterColumns(args[0] as Tensor, plan),
    gradFunc: (dy: Tensor) => gatherColumns(dy, plan),
  }));
  return f(cols) as Tensor4D;
}

/**
 * col2im, the adjoint of {@link im2col}: columns [batch·outH·outW, k·k·c] → [batch, H, W, c] with
 *
 *     y[b, p, c] = Σ over the entries (i, j, ky, kx) that read pixel p of cols[(b, i, j), (ky, kx, c)]
 *
 * (a `gather` of at most ⌈k/s⌉² entries per pixel and a sum). Applied to x·W it is a transposed convolution.
 *
 * @example
 * col2im(tf.ones([4, 9]), im2colPlan(4, 4, 3, 2)).shape; // [1, 4, 4, 1]
 */
export const col2im = op({ col2im_ });

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
 * Creates a {@link ConvLayer} for inputs [batch, height, width, inChannels], registering `${name}/w` and
 * `${name}/b` (fan_in = k·k·c_in, fan_out = k·k·c_out) and keeping its im2col tables in `params`.
 *
 * @example
 * const conv = createConvLayer(params, 'encoder/conv0', [28, 28, 1], 16, 3, 2, 'relu', 'torch', rng);
 * const h = applyConvLayer(conv, x); // x [b, 28, 28, 1] → [b, 14, 14, 16]
 */
export function createConvLayer(
  params: ParameterSet,
  name: string,
  [height, width, inChannels]: readonly [number, number, number],
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
  const plan = im2colPlan(height, width, kernelSize, stride);
  params.addConstant(plan.forward);
  params.addConstant(plan.backward);
  return { w, b, plan, inChannels, outChannels, activation };
}

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
 * const y = applyConvLayer(conv, x); // [b, 28, 28, 1] → [b, 14, 14, 16] with stride 2
 */
export const applyConvLayer = op({ applyConvLayer_ });

/**
 * A transposed ('fractionally strided') convolution, the adjoint of a stride-s 'same' convolution from
 * [H, W, c_out] to [⌈H/s⌉, ⌈W/s⌉, c_in]: x [batch, ⌈H/s⌉, ⌈W/s⌉, c_in] → [batch, H, W, c_out]. Each input pixel
 * spreads x·W (W [c_in, k·k·c_out]) over a k×k window, overlapping windows add up, then + b and the activation.
 */
export interface ConvTransposeLayer {
  readonly w: Variable;
  readonly b: Variable;
  readonly plan: Im2colPlan;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly activation: Activation;
}

/**
 * Creates a {@link ConvTransposeLayer} producing [batch, height, width, outChannels] from inputs of size
 * [⌈height/s⌉, ⌈width/s⌉, inChannels]. fan_in = k·k·c_out, as PyTorch's ConvTranspose2d computes it from its
 * weight [c_in, c_out, k, k].
 *
 * @example
 * const up = createConvTransposeLayer(params, 'decoder/up0', 32, [28, 28, 16], 3, 2, 'relu', 'torch', rng);
 * applyConvTransposeLayer(up, h); // [b, 14, 14, 32] → [b, 28, 28, 16]
 */
export function createConvTransposeLayer(
  params: ParameterSet,
  name: string,
  inChannels: number,
  [height, width, outChannels]: readonly [number, number, number],
  kernelSize: number,
  stride: number,
  activation: Activation,
  init: Initializer,
  rng: Rng,
): ConvTransposeLayer {
  const k2 = kernelSize * kernelSize;
  // PyTorch's ConvTranspose2d weight is [c_in, c_out, k, k]; its fan_in (dimension 1 · k·k) is c_out·k·k.
  const w = params.add(
    `${name}/w`,
    initWeight(init, [inChannels, k2 * outChannels], k2 * outChannels, k2 * inChannels, rng),
  );
  const b = params.add(`${name}/b`, initBias(init, outChannels, k2 * outChannels, rng));
  const plan = im2colPlan(height, width, kernelSize, stride);
  params.addConstant(plan.forward);
  params.addConstant(plan.backward);
  return { w, b, plan, inChannels, outChannels, activation };
}

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
 * applyConvTransposeLayer(up, h); // [b, 7, 7, 64] → [b, 14, 14, 32] with stride 2
 */
export const applyConvTransposeLayer = op({ applyConvTransposeLayer_ });
