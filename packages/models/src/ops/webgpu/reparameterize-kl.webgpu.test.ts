import { gaussianKlPerDim, LOG_VAR_RANGE, reparameterize, ShapeError } from '@latentlab/core';
import { assertClose, assertNoLeaks, seededUniforms } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { reparameterizeKlWebGpu } from './reparameterize-kl.js';

const [B, D] = [5, 13];
const mus = Array.from(seededUniforms(B * D, 1, -2, 2));
// logVar in [−3, 3), with entries outside the clamp range and near 0 (the expm1 series) planted.
const lvs = Array.from(seededUniforms(B * D, 2, -3, 3));
lvs[0] = -40;
lvs[1] = 25;
lvs[2] = 1e-3;
lvs[3] = -0.05;
const epss = Array.from(seededUniforms(B * D, 3, -2, 2));
const r1s = Array.from(seededUniforms(B * D, 4, -1, 1)); // ∂L/∂z
const r2s = Array.from(seededUniforms(B, 5, -1, 1)); // ∂L/∂KL_b

/** z, KL per row and the gradients of L = Σ r1⊙z + Σ_b r2_b·KL_b, in float64 from the formulas. */
function reference() {
  const { min, max } = LOG_VAR_RANGE;
  const z: number[] = [];
  const kl = new Array<number>(B).fill(0);
  const dmu: number[] = [];
  const dlv: number[] = [];
  for (let i = 0; i < B * D; i++) {
    const b = Math.floor(i / D);
    const v = Math.min(max, Math.max(min, lvs[i]!));
    const inRange = lvs[i]! >= min && lvs[i]! <= max ? 1 : 0;
    const sigma = Math.exp(0.5 * v);
    z.push(mus[i]! + sigma * epss[i]!);
    kl[b]! += 0.5 * (mus[i]! ** 2 + Math.expm1(v) - v);
    dmu.push(r1s[i]! + r2s[b]! * mus[i]!);
    dlv.push(inRange * (r1s[i]! * 0.5 * sigma * epss[i]! + r2s[b]! * 0.5 * Math.expm1(v)));
  }
  return { z, kl, dmu, dlv };
}

type Parts = { z: tf.Tensor; kl: tf.Tensor };

/** The four results through `f` (the kernel or core's plain ops) on the current backend. */
async function run(f: (mu: tf.Tensor2D, lv: tf.Tensor2D, eps: tf.Tensor2D) => Parts) {
  const out = tf.tidy(() => {
    const mu = tf.tensor2d(mus, [B, D]);
    const lv = tf.tensor2d(lvs, [B, D]);
    const eps = tf.tensor2d(epss, [B, D]);
    const r1 = tf.tensor2d(r1s, [B, D]);
    const r2 = tf.tensor1d(r2s);
    const loss = (m: tf.Tensor, v: tf.Tensor) => {
      const { z, kl } = f(m as tf.Tensor2D, v as tf.Tensor2D, eps);
      return tf.add(tf.sum(tf.mul(z, r1)), tf.sum(tf.mul(kl, r2))) as tf.Scalar;
    };
    const [dmu, dlv] = tf.grads(loss)([mu, lv]);
    const { z, kl } = f(mu, lv, eps);
    return [z, kl, dmu!, dlv!];
  });
  const [z, kl, dmu, dlv] = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  return { z: z!, kl: kl!, dmu: dmu!, dlv: dlv! };
}

const plainOps = (mu: tf.Tensor2D, lv: tf.Tensor2D, eps: tf.Tensor2D): Parts => ({
  z: reparameterize(mu, lv, eps),
  kl: tf.sum(gaussianKlPerDim(mu, lv), 1),
});

describe('reparameterizeKlWebGpu', () => {
  afterEach(async () => {
    await tf.setBackend('webgpu');
  });

  it("matches the float64 formulas and core's plain ops on webgpu and on cpu (≤ 1e-3 relative)", async () => {
    const fused = await run(reparameterizeKlWebGpu);
    const plain = await run(plainOps);
    await tf.setBackend('cpu');
    const cpu = await run(plainOps);
    const ref = reference();
    for (const [label, other] of [
      ['float64', ref],
      ['plain webgpu', plain],
      ['cpu', cpu],
    ] as const) {
      for (const key of ['z', 'kl', 'dmu', 'dlv'] as const) {
        await assertClose(fused[key], other[key], { rtol: 1e-3, atol: 1e-5, label: `${key} vs ${label}` });
      }
    }
  });

  it('runs as one kernel forward and two backward, and gives z alone its gradient', async () => {
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const mu = tf.tensor2d(mus, [B, D]);
        const lv = tf.tensor2d(lvs, [B, D]);
        const eps = tf.tensor2d(epss, [B, D]);
        const f = (m: tf.Tensor, v: tf.Tensor) => {
          const { z, kl } = reparameterizeKlWebGpu(m as tf.Tensor2D, v as tf.Tensor2D, eps);
          return tf.add(tf.sum(z), tf.sum(kl)) as tf.Scalar;
        };
        return tf.grads(f)([mu, lv]);
      }),
    );
    tf.dispose(info.result);
    const names = info.kernels.map((k) => k.name).filter((n) => n.startsWith('LatentlabReparameterizeKl'));
    expect(names).toEqual([
      'LatentlabReparameterizeKl',
      'LatentlabReparameterizeKlGradMu',
      'LatentlabReparameterizeKlGradLogVar',
    ]);
    // Only z on the path to the loss (dKL is null for the kernel): ∂/∂μ = 1.
    const g = tf.tidy(() => {
      const eps = tf.tensor2d(epss, [B, D]);
      return tf.grad((m: tf.Tensor) => tf.sum(reparameterizeKlWebGpu(m as tf.Tensor2D, tf.zeros([B, D]), eps).z))(
        tf.tensor2d(mus, [B, D]),
      );
    });
    await assertClose(await g.data(), new Array(B * D).fill(1), { atol: 0 });
    g.dispose();
  });

  it('leaks no tensor and rejects mismatched shapes with a ShapeError', async () => {
    const mu = tf.tensor2d(mus, [B, D]);
    const lv = tf.tensor2d(lvs, [B, D]);
    const eps = tf.tensor2d(epss, [B, D]);
    await assertNoLeaks(() => tf.dispose(tf.tidy(() => Object.values(reparameterizeKlWebGpu(mu, lv, eps)))));
    await assertNoLeaks(() =>
      tf.dispose(
        tf.tidy(() =>
          tf.grads((m: tf.Tensor, v: tf.Tensor) =>
            tf.sum(reparameterizeKlWebGpu(m as tf.Tensor2D, v as tf.Tensor2D, eps).kl),
          )([mu, lv]),
        ),
      ),
    );
    const bad = tf.zeros([B, D + 1]) as tf.Tensor2D;
    await assertNoLeaks(() => expect(() => reparameterizeKlWebGpu(mu, lv, bad)).toThrow(ShapeError));
    tf.dispose([mu, lv, eps, bad]);
  });
});
