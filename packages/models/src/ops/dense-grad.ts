import {
  customGrad,
  fused,
  getBackend,
  type GradSaveFunc,
  matMul,
  mul,
  ones,
  relu,
  reshape,
  step,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  transpose,
} from '@tensorflow/tfjs-core';
import { formatShape, ShapeError } from '@latentlab/core';

// Internal building blocks of `dense` and `denseRelu`: their forward pass, their gradients written with
// matMuls that are fast on every backend, and their shape checks.

/**
 * Backends whose matMul reads a transposed operand at no cost (the WebGL/WebGPU shaders swap indices), so an
 * explicit `transpose` would only add a pass. Everywhere else — wasm above all, whose transposed matMul runs
 * about 10× slower than the plain one (XNNPACK's fully-connected path only serves the plain layout) — the
 * operand is transposed first and a plain matMul follows.
 */
const NATIVE_TRANSPOSE = new Set(['webgl', 'webgpu']);

const nativeTranspose = (): boolean => NATIVE_TRANSPOSE.has(getBackend());

/** aᵀ·b for a [m, k], b [m, n] → [k, n]. */
export function matMulTransposeA(a: Tensor2D, b: Tensor2D): Tensor2D {
  if (nativeTranspose()) return matMul(a, b, true, false);
  return matMul(transpose(a), b); // transposes m·k values
}

/**
 * a·bᵀ for a [m, k], b [n, k] → [m, n], transposing whichever side is smaller:
 * either bᵀ (n·k values), or aᵀ and the result, as (b·aᵀ)ᵀ (m·k + m·n values).
 */
export function matMulTransposeB(a: Tensor2D, b: Tensor2D): Tensor2D {
  if (nativeTranspose()) return matMul(a, b, false, true);
  const [m, k] = a.shape;
  const n = b.shape[0];
  if (m * k + m * n < n * k) return transpose(matMul(b, transpose(a)));
  return matMul(a, transpose(b));
}

/**
 * Σ over the batch axis, dy [m, n] → [n], the gradient of a broadcast bias. Written as 1ᵀ·dy: a plain matMul,
 * which wasm runs several times faster than its axis-0 `sum` (that one transposes first).
 */
export function sumOverBatch(dy: Tensor2D): Tensor1D {
  if (nativeTranspose()) return sum(dy, 0);
  return reshape(matMul(ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
}

/** The gradients of y = x·W + b given g = ∂L/∂(x·W + b): [∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_batch g]. */
export function affineGrads(g: Tensor2D, x: Tensor2D, w: Tensor2D, inputGradient: boolean): Tensor[] {
  const dw = matMulTransposeA(x, g); // [in, out]
  const db = sumOverBatch(g); // [out]
  return inputGradient ? [matMulTransposeB(g, w), dw, db] : [dw, db];
}

/** y = act(x·W + b) in one fused kernel where the backend has one (tfjs fuses the linear case in gradient mode too). */
export function affineForward(x: Tensor2D, w: Tensor2D, b: Tensor1D, activation: 'linear' | 'relu'): Tensor2D {
  const y = fused.matMul({ a: x, b: w, bias: b }); // [batch, out]
  return activation === 'relu' ? relu(y) : y;
}

/** g = dy ⊙ 1[y > 0], the gradient through y = relu(u) written with the output y (relu(u) > 0 ⇔ u > 0). */
export function reluBackward(dy: Tensor2D, y: Tensor2D): Tensor2D {
  return mul(dy, step(y));
}

/** Options shared by {@link dense} and {@link denseRelu}. */
export interface DenseOptions {
  /**
   * Whether to compute ∂L/∂x (default true). Pass false when x is data, e.g. the first layer's input: it saves
   * the g·Wᵀ matMul (a sixth of a reference VAE step). x then gets no gradient through this op; asking tfjs for
   * one throws (or, if x also reaches the loss another way, only that other path's gradient is returned).
   */
  readonly inputGradient?: boolean;
}

/** Throws a {@link ShapeError} naming `fn` unless x [batch, in], w [in, out], b [out] fit together. */
export function assertDenseShapes(fn: string, x: Tensor, w: Tensor, b: Tensor): void {
  const rank = (name: string, t: Tensor, r: number, dims: string) => {
    if (t.rank !== r) {
      throw new ShapeError(fn, `${name} has the wrong rank`, `rank ${r} ${dims}`, `rank ${t.rank} ${formatShape(t.shape)}`);
    }
  };
  rank('x', x, 2, '[batch, inFeatures]');
  rank('w', w, 2, '[inFeatures, outFeatures]');
  rank('b', b, 1, '[outFeatures]');
  if (x.shape[1] !== w.shape[0]) {
    throw new ShapeError(
      fn,
      "x's feature axis does not match w's rows",
      `w of shape [${x.shape[1]}, outFeatures] for x ${formatShape(x.shape)}`,
      formatShape(w.shape),
    );
  }
  if (b.shape[0] !== w.shape[1]) {
    throw new ShapeError(fn, "b's length does not match w's columns", `b of shape [${w.shape[1]}]`, formatShape(b.shape));
  }
}

/**
 * y = act(x·W + b) as one node of tfjs's gradient tape, with the hand-written backward pass above
 * (`customGrad`, so no gradient registry is needed). With `inputGradient` false, only w and b are inputs of the
 * node: tfjs then never asks for ∂L/∂x, and the g·Wᵀ matMul is skipped.
 */
export function customAffine(
  x: Tensor2D,
  w: Tensor2D,
  b: Tensor1D,
  activation: 'linear' | 'relu',
  inputGradient: boolean,
): Tensor2D {
  const forward = (save: GradSaveFunc) => {
    const y = affineForward(x, w, b, activation); // [batch, out]
    save(activation === 'relu' ? [x, w, y] : [x, w]);
    const gradFunc = (dy: Tensor2D, saved: Tensor[]) => {
      const [xs, ws, ys] = saved as [Tensor2D, Tensor2D, Tensor2D?];
      const g = ys ? reluBackward(dy, ys) : dy; // ∂L/∂(x·W + b)
      return affineGrads(g, xs, ws, inputGradient);
    };
    return { value: y, gradFunc };
  };
  if (inputGradient) return customGrad((_x, _w, _b, save) => forward(save as GradSaveFunc))(x, w, b);
  return customGrad((_w, _b, save) => forward(save as GradSaveFunc))(w, b);
}
