import { ShapeError } from '@latentlab/core';
import { assertClose, assertGradientClose, assertNoLeaks, tidyAsync } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { denseRelu } from './dense-relu.js';

/** Seeded uniform numbers in [−1, 1) (an LCG, independent of the library's generator). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 2 * (s / 2 ** 32) - 1;
  };
}
const values = (n: number, seed: number) => Array.from({ length: n }, lcg(seed));

/** x·W + b in float64: x [m, k], w [k, n], b [n]. */
function affine64(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number) {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = b[j]!;
      for (let l = 0; l < k; l++) s += x[i * k + l]! * w[l * n + j]!;
      y[i * n + j] = s;
    }
  return Array.from(y);
}

/** max(x·W + b, 0) in float64. */
const denseRelu64 = (
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
) => affine64(x, w, b, m, k, n).map((v) => Math.max(v, 0));
const weighted = (y: number[], r: ArrayLike<number>) => y.reduce((s, v, i) => s + v * r[i]!, 0);

// As in dense.test.ts: both ways of computing g·Wᵀ, and on wasm while gradients are recorded, both ways of x·W.
const CASES = [
  { m: 5, k: 3, n: 2, what: 'W small: g·transpose(W)' },
  { m: 2, k: 5, n: 7, what: 'W large: transpose(W·transpose(g))' },
];

describe.each(CASES)('denseRelu, x [$m, $k], w [$k, $n] ($what)', ({ m, k, n }) => {
  const xs = values(m * k, 11);
  const ws = values(k * n, 12);
  const bs = values(n, 13);
  const rs = values(m * n, 14);
  const tensors = () => ({
    x: tf.tensor2d(xs, [m, k]),
    w: tf.tensor2d(ws, [k, n]),
    b: tf.tensor1d(bs),
    r: tf.tensor2d(rs, [m, n]),
  });

  it('computes max(x·W + b, 0) with both signs present (float64 reference)', async () => {
    const expected = denseRelu64(xs, ws, bs, m, k, n);
    // Meaningful only if some units are off and some on, none near the kink (where finite differences break).
    const pre = affine64(xs, ws, bs, m, k, n);
    expect(pre.some((v) => v < 0) && pre.some((v) => v > 0)).toBe(true);
    expect(pre.every((v) => Math.abs(v) > 1e-3)).toBe(true);
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      await assertClose(denseRelu(x, w, b), expected, { atol: 1e-5 });
      await assertClose(denseRelu(x, w, b, { inputGradient: false }), expected, { atol: 1e-5 });
      // While gradients are recorded, wasm computes the second case's product as (Wᵀ·xᵀ)ᵀ: the same values.
      for (const inputGradient of [true, false]) {
        const { value } = tf.valueAndGrad((wv) =>
          tf.sum(tf.mul(denseRelu(x, wv as tf.Tensor2D, b, { inputGradient }), r)),
        )(w);
        await assertClose(value, [weighted(expected, rs)], { atol: 1e-4 });
      }
    });
  });

  it("has tfjs autodiff's gradients of relu(matMul + add) for x, w and b", async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const ours = tf.grads((x, w, b) =>
        tf.sum(tf.mul(denseRelu(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), r)),
      )([x, w, b]);
      const plain = tf.grads((x, w, b) => tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(x, w), b)), r)))([x, w, b]);
      for (const [i, g] of ours.entries()) await assertClose(g, plain[i]!, { atol: 1e-5, label: ['x', 'w', 'b'][i] });
    });
  });

  it('has gradients equal to central finite differences of the float64 formula', async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const loss = (y: tf.Tensor2D) => tf.mul(y, r);
      const ref = (xv: ArrayLike<number>, wv: ArrayLike<number>, bv: ArrayLike<number>) =>
        weighted(denseRelu64(xv, wv, bv, m, k, n), rs);
      await assertGradientClose(
        (t) => loss(denseRelu(t as tf.Tensor2D, w, b)),
        (v) => ref(v, ws, bs),
        xs,
        [m, k],
        { label: 'x' },
      );
      await assertGradientClose(
        (t) => loss(denseRelu(x, t as tf.Tensor2D, b)),
        (v) => ref(xs, v, bs),
        ws,
        [k, n],
        { label: 'w' },
      );
      await assertGradientClose(
        (t) => loss(denseRelu(x, w, t as tf.Tensor1D)),
        (v) => ref(xs, ws, v),
        bs,
        [n],
        { label: 'b' },
      );
    });
  });

  it('takes relu′(0) = 0, as tfjs does', async () => {
    await tidyAsync(async () => {
      // x·W + b = [0, 1]: only the second unit passes gradient.
      const g = tf.grads((w, b) => tf.sum(denseRelu(tf.tensor2d([[1]]), w as tf.Tensor2D, b as tf.Tensor1D)))([
        tf.tensor2d([[0, 1]]),
        tf.tensor1d([0, 0]),
      ]);
      await assertClose(g[0]!, [0, 1], { atol: 0 });
      await assertClose(g[1]!, [0, 1], { atol: 0 });
    });
  });

  it('with inputGradient: false, gives the same ∂L/∂W and ∂L/∂b and no ∂L/∂x', async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const f = (inputGradient: boolean) => (w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(denseRelu(x, w as tf.Tensor2D, b as tf.Tensor1D, { inputGradient }), r));
      const ours = tf.grads(f(false))([w, b]);
      const full = tf.grads(f(true))([w, b]);
      await assertClose(ours[0]!, full[0]!, { atol: 1e-6 });
      await assertClose(ours[1]!, full[1]!, { atol: 1e-6 });
      expect(() => tf.grad((t) => tf.sum(denseRelu(t as tf.Tensor2D, w, b, { inputGradient: false })))(x)).toThrow(
        /Cannot compute gradient/,
      );
    });
  });

  it('leaks no tensors in forward and backward', async () => {
    const { x, w, b, r } = tensors();
    const y = await assertNoLeaks(() => denseRelu(x, w, b), 1, 'forward');
    y.dispose();
    for (const inputGradient of [true, false]) {
      const g = await assertNoLeaks(
        () =>
          tf.grads((w, b) => tf.sum(tf.mul(denseRelu(x, w as tf.Tensor2D, b as tf.Tensor1D, { inputGradient }), r)))([
            w,
            b,
          ]),
        2,
        `backward, inputGradient ${inputGradient}`,
      );
      tf.dispose(g);
    }
    tf.dispose([x, w, b, r]);
  });
});

describe('denseRelu shape checks and example', () => {
  it('throws a ShapeError naming denseRelu', () => {
    tf.tidy(() => {
      let error: unknown;
      try {
        denseRelu(tf.zeros([4, 5]), tf.zeros([3, 2]), tf.zeros([2]));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).fn).toBe('denseRelu');
      expect((error as Error).message).toMatch(/^Error in denseRelu: x's feature axis/);
    });
  });

  it('runs the @example', async () => {
    await tidyAsync(async () => {
      const y = denseRelu(
        tf.tensor2d([[1, -2]]),
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
        tf.tensor1d([0, 1]),
      );
      await assertClose(y, [1, 0], { atol: 0 });
    });
  });
});
