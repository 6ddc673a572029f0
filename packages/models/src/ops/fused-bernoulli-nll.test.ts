import { bernoulliNll, ShapeError } from '@latentlab/core';
import { assertClose, assertGradientClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fusedBernoulliNll } from './fused-bernoulli-nll.js';

/** Seeded uniform numbers in [0, 1) (an LCG, independent of the library's generator). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const [B, D] = [3, 5];
const xs = Array.from({ length: B * D }, lcg(1)); // grey levels in [0, 1)
const ls = Array.from({ length: B * D }, lcg(2)).map((u) => 8 * u - 4); // logits in [−4, 4)
const rs = [0.5, -1.5, 2]; // a weight per example, so ∂L/∂nll is not all ones

/** Σ_i log(1 + e^{l_i}) − l_i·x_i per example, in float64 (the plain definition; fine for moderate logits). */
function nll64(x: ArrayLike<number>, l: ArrayLike<number>, batch: number, d: number): number[] {
  const out = new Float64Array(batch);
  for (let b = 0; b < batch; b++)
    for (let i = b * d; i < (b + 1) * d; i++) out[b]! += Math.log1p(Math.exp(l[i]!)) - l[i]! * x[i]!;
  return Array.from(out);
}

describe('fusedBernoulliNll', () => {
  it("equals core's bernoulliNll and the float64 definition", () => {
    tf.tidy(() => {
      const x = tf.tensor2d(xs, [B, D]);
      const l = tf.tensor2d(ls, [B, D]);
      const y = fusedBernoulliNll(x, l);
      expect(y.shape).toEqual([B]);
      assertClose(y, nll64(xs, ls, B, D), { atol: 1e-5, rtol: 1e-5 });
      assertClose(y, bernoulliNll(x, l), { atol: 1e-6 });
    });
  });

  it('keeps float32 accuracy on MNIST-sized rows with large logits (−log σ(|l|) form)', () => {
    const [b, d] = [4, 784];
    const x = Array.from({ length: b * d }, lcg(5));
    const l = Array.from({ length: b * d }, lcg(6)).map((u) => 60 * u - 30); // logits in [−30, 30)
    // Float64 reference in the stable form max(l, 0) − l·x + log1p(exp(−|l|)).
    const expected = Array.from({ length: b }, (_, r) => {
      let s = 0;
      for (let i = r * d; i < (r + 1) * d; i++)
        s += Math.max(l[i]!, 0) - l[i]! * x[i]! + Math.log1p(Math.exp(-Math.abs(l[i]!)));
      return s;
    });
    tf.tidy(() => {
      const xt = tf.tensor2d(x, [b, d]);
      const lt = tf.tensor2d(l, [b, d]);
      // Sums of 784 float32 terms of size ≈ 10: a few ulps of the ≈ 6 000-nat total.
      assertClose(fusedBernoulliNll(xt, lt), expected, { atol: 1e-3, rtol: 2e-6 });
      assertClose(fusedBernoulliNll(xt, lt), bernoulliNll(xt, lt), { atol: 1e-3, rtol: 2e-6 });
    });
  });

  it("has the gradient of tfjs's autodiff through core's bernoulliNll", () => {
    tf.tidy(() => {
      const x = tf.tensor2d(xs, [B, D]);
      const r = tf.tensor1d(rs);
      const l = tf.tensor2d(ls, [B, D]);
      const ours = tf.grad((t) => tf.sum(tf.mul(fusedBernoulliNll(x, t), r)))(l);
      const plain = tf.grad((t) => tf.sum(tf.mul(bernoulliNll(x, t), r)))(l);
      assertClose(ours, plain, { atol: 1e-6 });
    });
  });

  it('has gradient r_b·(σ(l) − x) equal to central finite differences of the float64 definition', () => {
    tf.tidy(() => {
      const x = tf.tensor2d(xs, [B, D]);
      const r = tf.tensor1d(rs);
      const reference = (l: Float64Array) => nll64(xs, l, B, D).reduce((s, v, b) => s + v * rs[b]!, 0);
      const { analytic } = assertGradientClose((t) => tf.mul(fusedBernoulliNll(x, t), r), reference, ls, [B, D]);
      const closed = ls.map((l, i) => rs[Math.floor(i / D)]! * (1 / (1 + Math.exp(-l)) - xs[i]!));
      assertClose(analytic, closed, { atol: 1e-6 });
    });
  });

  it('sums every feature axis of a rank-3 input, gradient included', () => {
    tf.tidy(() => {
      const x = tf.tensor3d(xs, [B, 1, D]);
      const l = tf.tensor3d(ls, [B, 1, D]);
      assertClose(fusedBernoulliNll(x, l), nll64(xs, ls, B, D), { atol: 1e-5 });
      const g = tf.grad((t) => fusedBernoulliNll(x, t))(l);
      expect(g.shape).toEqual([B, 1, D]);
      assertClose(
        g,
        ls.map((l, i) => 1 / (1 + Math.exp(-l)) - xs[i]!),
        { atol: 1e-6 },
      );
    });
  });

  it('stays finite and exact for logits of ±100, and takes integer x', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0, 1, 0]], [1, 4], 'int32');
      const l = tf.tensor2d([[100, -100, -100, 100]]);
      // Confident and right costs ≈ 0; confident and wrong costs ≈ |l| = 100.
      assertClose(fusedBernoulliNll(x, l), [200], { atol: 1e-3 });
      assertClose(tf.grad((t) => fusedBernoulliNll(x, t))(l), [0, 0, -1, 1], { atol: 1e-6 });
    });
  });

  it('gives no gradient to the target x', () => {
    tf.tidy(() => {
      const l = tf.tensor2d(ls, [B, D]);
      expect(() => tf.grad((x) => tf.sum(fusedBernoulliNll(x, l)))(tf.tensor2d(xs, [B, D]))).toThrow(
        /Cannot compute gradient/,
      );
    });
  });

  it('leaks no tensors in forward and backward', async () => {
    const x = tf.tensor2d(xs, [B, D], 'int32'); // the cast to float32 must be cleaned up too
    const l = tf.tensor2d(ls, [B, D]);
    const y = await assertNoLeaks(() => fusedBernoulliNll(x, l), 1, 'forward');
    const g = await assertNoLeaks(() => tf.grad((t) => fusedBernoulliNll(x, t))(l), 1, 'backward');
    tf.dispose([x, l, y, g]);
  });

  it('throws a ShapeError naming fusedBernoulliNll for mismatched shapes or rank < 2', () => {
    tf.tidy(() => {
      const cases: Array<[tf.Tensor, tf.Tensor, RegExp]> = [
        [
          tf.zeros([2, 3]),
          tf.zeros([2, 4]),
          /x and logits must have the same shape: expected x of shape \[2, 4\].*found \[2, 3\]/,
        ],
        [tf.zeros([3]), tf.zeros([3]), /logits has too low a rank: expected rank ≥ 2.*found rank 1 \[3\]/],
      ];
      for (const [x, l, message] of cases) {
        let error: unknown;
        try {
          fusedBernoulliNll(x, l);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ShapeError);
        expect((error as ShapeError).fn).toBe('fusedBernoulliNll');
        expect((error as Error).message).toMatch(message);
      }
    });
  });

  it('runs the @example', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0, 0.5]]);
      const logits = tf.tensor2d([[2, -1, 0]]);
      assertClose(fusedBernoulliNll(x, logits), [Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log(2)], {
        atol: 1e-5,
      });
      const s = (l: number) => 1 / (1 + Math.exp(-l));
      assertClose(tf.grad((l) => fusedBernoulliNll(x, l))(logits), [s(2) - 1, s(-1), 0], { atol: 1e-6 });
    });
  });
});
