// im2col and its adjoint col2im: a 'same'-padded convolution's patches as matrix rows (and back), one `gather`
// each way with hand-written gradients, so convolutions train on every backend (see conv.ts in layers/).
import {
  concat,
  customGrad,
  type GradSaveFunc,
  gather,
  op,
  reshape,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  tensor1d,
  zeros,
} from '@tensorflow/tfjs-core';

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

/** A linear map A applied to x, its gradient the adjoint: value A(x), dL/dx = Aᵀ(dL/dy). */
function linearMap(map: (x: Tensor) => Tensor, adjoint: (dy: Tensor) => Tensor, x: Tensor): Tensor {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => ({
    value: map(args[0] as Tensor),
    gradFunc: (dy: Tensor) => adjoint(dy),
  }));
  return f(x);
}

function im2col_(x: Tensor4D, plan: Im2colPlan): Tensor2D {
  return linearMap(
    (t) => gatherColumns(t, plan),
    (dy) => scatterColumns(dy, plan),
    x,
  ) as Tensor2D;
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
  return linearMap(
    (t) => scatterColumns(t, plan),
    (dy) => gatherColumns(dy, plan),
    cols,
  ) as Tensor4D;
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
