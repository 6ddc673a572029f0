import { ShapeError } from '@latentlab/core';
import { assertClose, assertGradientClose, assertNoLeaks, tidyAsync } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';

/** Seeded uniform numbers in [−1, 1) (an LCG, independent of the library's generator). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 2 * (s / 2 ** 32) - 1;
  };
}
const values = (n: number, seed: number) => {
  const r = lcg(seed);
  return Array.from({ length: n }, r);
};

/** y = x·W + b in float64: x [m, k], w [k, n], b [n]. */
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

/** Σ r ⊙ y: a scalar whose gradient weights every output differently. */
const weighted = (y: number[], r: ArrayLike<number>) => y.reduce((s, v, i) => s + v * r[i]!, 0);

// Shapes chosen so that ∂L/∂x takes both ways of computing g·Wᵀ (transpose W, or (W·gᵀ)ᵀ when that is smaller), and,
// on wasm while gradients are recorded, x·W both ways (plainly, or as (Wᵀ·xᵀ)ᵀ when W is larger than x and x·W).
const CASES = [
  { m: 5, k: 3, n: 2, what: 'W small: g·transpose(W)' },
  { m: 2, k: 5, n: 7, what: 'W large: transpose(W·transpose(g))' },
];

describe.each(CASES)('dense, x [$m, $k], w [$k, $n] ($what)', ({ m, k, n }) => {
  const xs = values(m * k, 1);
  const ws = values(k * n, 2);
  const bs = values(n, 3);
  const rs = values(m * n, 4);
  const tensors = () => ({
    x: tf.tensor2d(xs, [m, k]),
    w: tf.tensor2d(ws, [k, n]),
    b: tf.tensor1d(bs),
    r: tf.tensor2d(rs, [m, n]),
  });

  it('computes x·W + b (float64 reference)', async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      await assertClose(dense(x, w, b), affine64(xs, ws, bs, m, k, n), { atol: 1e-5 });
      await assertClose(dense(x, w, b, { inputGradient: false }), affine64(xs, ws, bs, m, k, n), { atol: 1e-5 });
      // While gradients are recorded, wasm computes the second case's product as (Wᵀ·xᵀ)ᵀ: the same values.
      for (const inputGradient of [true, false]) {
        const { value } = tf.valueAndGrad((wv) => tf.sum(tf.mul(dense(x, wv as tf.Tensor2D, b, { inputGradient }), r)))(
          w,
        );
        await assertClose(value, [weighted(affine64(xs, ws, bs, m, k, n), rs)], { atol: 1e-4 });
      }
    });
  });

  it("has tfjs autodiff's gradients of matMul + add for x, w and b", async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const ours = tf.grads((x, w, b) =>
        tf.sum(tf.mul(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), r)),
      )([x, w, b]);
      const plain = tf.grads((x, w, b) => tf.sum(tf.mul(tf.add(tf.matMul(x, w), b), r)))([x, w, b]);
      for (const [i, g] of ours.entries()) await assertClose(g, plain[i]!, { atol: 1e-5, label: ['x', 'w', 'b'][i] });
    });
  });

  it('has gradients equal to central finite differences of the float64 formula', async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const loss = (y: tf.Tensor2D) => tf.mul(y, r);
      await assertGradientClose(
        (t) => loss(dense(t as tf.Tensor2D, w, b)),
        (v) => weighted(affine64(v, ws, bs, m, k, n), rs),
        xs,
        [m, k],
        { label: 'x' },
      );
      await assertGradientClose(
        (t) => loss(dense(x, t as tf.Tensor2D, b)),
        (v) => weighted(affine64(xs, v, bs, m, k, n), rs),
        ws,
        [k, n],
        { label: 'w' },
      );
      await assertGradientClose(
        (t) => loss(dense(x, w, t as tf.Tensor1D)),
        (v) => weighted(affine64(xs, ws, v, m, k, n), rs),
        bs,
        [n],
        { label: 'b' },
      );
    });
  });

  it('with inputGradient: false, gives the same ∂L/∂W and ∂L/∂b and no ∂L/∂x', async () => {
    await tidyAsync(async () => {
      const { x, w, b, r } = tensors();
      const f = (opts: { inputGradient: boolean }) => (w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(dense(x, w as tf.Tensor2D, b as tf.Tensor1D, opts), r));
      const ours = tf.grads(f({ inputGradient: false }))([w, b]);
      const full = tf.grads(f({ inputGradient: true }))([w, b]);
      await assertClose(ours[0]!, full[0]!, { atol: 1e-6 });
      await assertClose(ours[1]!, full[1]!, { atol: 1e-6 });
      expect(() => tf.grad((t) => tf.sum(dense(t as tf.Tensor2D, w, b, { inputGradient: false })))(x)).toThrow(
        /Cannot compute gradient/,
      );
    });
  });

  it('leaks no tensors in forward and backward', async () => {
    const { x, w, b, r } = tensors();
    const y = await assertNoLeaks(() => dense(x, w, b), 1, 'forward');
    y.dispose();
    for (const inputGradient of [true, false]) {
      const g = await assertNoLeaks(
        () =>
          tf.grads((w, b) => tf.sum(tf.mul(dense(x, w as tf.Tensor2D, b as tf.Tensor1D, { inputGradient }), r)))([
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

describe('dense shape checks', () => {
  it('throws a ShapeError naming dense for mismatched or wrongly ranked inputs', () => {
    tf.tidy(() => {
      const x = tf.zeros([4, 3]) as tf.Tensor2D;
      const w = tf.zeros([3, 2]) as tf.Tensor2D;
      const b = tf.zeros([2]) as tf.Tensor1D;
      const bad: Array<[tf.Tensor, tf.Tensor, tf.Tensor, RegExp]> = [
        [tf.zeros([4, 5]), w, b, /x's feature axis.*expected w of shape \[5, outFeatures\].*found \[3, 2\]/],
        [x, w, tf.zeros([3]), /b's length.*expected b of shape \[2\].*found \[3\]/],
        [tf.zeros([4]), w, b, /x has the wrong rank.*found rank 1 \[4\]/],
        [x, tf.zeros([3, 2, 1]), b, /w has the wrong rank/],
        [x, w, tf.zeros([1, 2]), /b has the wrong rank/],
      ];
      for (const [xx, ww, bb, message] of bad) {
        let error: unknown;
        try {
          dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ShapeError);
        expect((error as ShapeError).fn).toBe('dense');
        expect((error as Error).message).toMatch(message);
      }
    });
  });

  it('runs the @example', async () => {
    await tidyAsync(() => assertClose(dense(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4])), new Array(8).fill(3)));
  });
});
