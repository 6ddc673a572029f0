import { formatShape, ShapeError } from '@latentlab/core';
import {
  add,
  customGrad,
  engine,
  fused,
  type GradSaveFunc,
  getBackend,
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
import { denseForwardWebGpu } from './webgpu/dense-forward.js';
import { webgpuFastPath } from './webgpu/fast-path.js';
import { reluGradWebGpu } from './webgpu/relu-grad.js';

// Internal building blocks of `dense` and `denseRelu`: their forward pass, their gradients written with
// matMuls that are fast on every backend, and their shape checks.

/**
 * Whether to feed matMul explicitly transposed operands. Only on wasm: its transposed matMul runs about 10× slower
 * than the plain one (≈ 2.4 against ≈ 30 GFLOP/s; XNNPACK's fully-connected path serves only the plain layout), and
 * its fused matMul-plus-bias kernel at half speed. The cpu kernel reads either layout at the same speed (an explicit
 * transpose would be a wasted pass) and the WebGL/WebGPU shaders swap indices for free, so those backends keep
 * tfjs's transpose flags and fused kernel.
 */
const explicitTranspose = (): boolean => getBackend() === 'wasm';

/** aᵀ·b for a [m, k], b [m, n] → [k, n]. */
export function matMulTransposeA(a: Tensor2D, b: Tensor2D): Tensor2D {
  if (!explicitTranspose()) return matMul(a, b, true, false);
  return matMul(transpose(a), b); // transposes m·k values
}

/**
 * a·bᵀ for a [m, k], b [n, k] → [m, n], transposing whichever side is smaller:
 * either bᵀ (n·k values), or aᵀ and the result, as (b·aᵀ)ᵀ (m·k + m·n values).
 */
export function matMulTransposeB(a: Tensor2D, b: Tensor2D): Tensor2D {
  if (!explicitTranspose()) return matMul(a, b, false, true);
  const [m, k] = a.shape;
  const n = b.shape[0];
  if (m * k + m * n < n * k) return transpose(matMul(b, transpose(a))) as Tensor2D;
  return matMul(a, transpose(b));
}

/**
 * Σ over the batch axis, dy [m, n] → [n], the gradient of a broadcast bias. Written as 1ᵀ·dy: a plain matMul,
 * which wasm runs several times faster than its axis-0 `sum` (that one transposes first).
 */
export function sumOverBatch(dy: Tensor2D): Tensor1D {
  if (!explicitTranspose()) return sum(dy, 0);
  return reshape(matMul(ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
}

/** The layer's input as the backward pass reads it: x itself, or xᵀ when the forward pass computed it. */
export type SavedInput = { readonly x: Tensor2D } | { readonly xT: Tensor2D };

/**
 * The gradients of y = x·W + b given g = ∂L/∂(x·W + b): [∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_batch g], without
 * ∂L/∂x when w is not given.
 */
export function affineGrads(g: Tensor2D, input: SavedInput, w: Tensor2D | undefined): Tensor[] {
  const dw = 'xT' in input ? matMul(input.xT, g) : matMulTransposeA(input.x, g); // [in, out]
  const db = sumOverBatch(g); // [out]
  return w ? [matMulTransposeB(g, w), dw, db] : [dw, db];
}

/**
 * Whether x·W is cheaper computed as (Wᵀ·xᵀ)ᵀ: on wasm, while gradients are recorded, when W holds more values
 * than x and x·W together. XNNPACK packs matMul's right operand into its own layout before multiplying and caches
 * the packing per tensor. In training, W is a new tensor after every optimizer step, so x·W packs all of W again
 * at every step: [128, 784]·[784, 400] then takes ≈ 8 ms instead of ≈ 5. (Wᵀ·xᵀ)ᵀ packs xᵀ instead (128·784
 * values), at the price of transposing W, x (which ∂L/∂W needs anyway) and the result. The figures, both ways: in
 * packages/cli/BENCHMARKS.md, "The step's matrix products alone". Outside training W's packing is reused and x·W
 * stays faster.
 */
function transposedProduct(x: Tensor2D, w: Tensor2D): boolean {
  if (!explicitTranspose() || engine().state.gradientDepth === 0) return false;
  const [batch, inFeatures] = x.shape;
  const outFeatures = w.shape[1];
  return inFeatures * outFeatures > batch * (inFeatures + outFeatures);
}

/**
 * y = act(x·W + b): through tfjs's fused matMul-plus-bias kernel, except on wasm, where that kernel runs at half the
 * speed of the plain matMul (≈ 15 against ≈ 31 GFLOP/s for [128, 784]·[784, 400] on one thread) and a plain matMul
 * plus a broadcast add (≈ 0.03 ms) is faster. Given xᵀ, x·W is computed as (Wᵀ·xᵀ)ᵀ (see transposedProduct).
 */
export function affineForward(
  x: Tensor2D,
  w: Tensor2D,
  b: Tensor1D,
  activation: 'linear' | 'relu',
  xT: Tensor2D | null = null,
): Tensor2D {
  if (webgpuFastPath()) return denseForwardWebGpu(x, w, b, activation); // one dispatch (src/ops/webgpu)
  let y: Tensor2D; // [batch, out]
  if (!explicitTranspose()) y = fused.matMul({ a: x, b: w, bias: b }) as Tensor2D;
  else y = add(xT ? transpose(matMul(transpose(w), xT)) : matMul(x, w), b);
  return activation === 'relu' ? relu(y) : y;
}

/** g = dy ⊙ 1[y > 0], the gradient through y = relu(u) written with the output y (relu(u) > 0 ⇔ u > 0). */
export function reluBackward(dy: Tensor2D, y: Tensor2D): Tensor2D {
  if (webgpuFastPath()) return reluGradWebGpu(dy, y); // one dispatch instead of two
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
      throw new ShapeError(
        fn,
        `${name} has the wrong rank`,
        `rank ${r} ${dims}`,
        `rank ${t.rank} ${formatShape(t.shape)}`,
      );
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
    throw new ShapeError(
      fn,
      "b's length does not match w's columns",
      `b of shape [${w.shape[1]}]`,
      formatShape(b.shape),
    );
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
    const xT = transposedProduct(x, w) ? transpose(x) : null; // [in, batch]; ∂L/∂W reads it too
    const y = affineForward(x, w, b, activation, xT); // [batch, out]
    // Saved tensors are copied on wasm: keep only what the backward pass reads (W only for ∂L/∂x).
    save([xT ?? x, ...(inputGradient ? [w] : []), ...(activation === 'relu' ? [y] : [])]);
    const gradFunc = (dy: Tensor2D, saved: Tensor[]) => {
      const [xs, ...rest] = saved as Tensor2D[];
      const ws = inputGradient ? rest.shift() : undefined;
      const ys = rest.shift();
      const g = ys ? reluBackward(dy, ys) : dy; // ∂L/∂(x·W + b)
      return affineGrads(g, xT ? { xT: xs! } : { x: xs! }, ws);
    };
    return { value: y, gradFunc };
  };
  if (inputGradient) return customGrad((_x, _w, _b, save) => forward(save as GradSaveFunc))(x, w, b);
  return customGrad((_w, _b, save) => forward(save as GradSaveFunc))(w, b);
}
