import { describe, expect, it } from 'vitest';
import { adamStepScalars, adamUpdate } from './adam-update.js';

describe('adamUpdate', () => {
  it("matches Kingma & Ba's Algorithm 1 (bias-corrected m̂, v̂) over three steps, in place or into another array", () => {
    const config = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const grads = [Float32Array.of(0.5, -2, 3), Float32Array.of(-1, 0.25, 3), Float32Array.of(2, 2, -0.5)];
    const w = Float32Array.of(1, -1, 0.5);
    const m = new Float32Array(3);
    const v = new Float32Array(3);
    const w2 = Float32Array.from(w);
    const m2 = new Float32Array(3);
    const v2 = new Float32Array(3);
    // The reference in float64, the textbook way: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − lr·m̂/(√v̂ + ε).
    const ref = { w: [...w], m: [0, 0, 0], v: [0, 0, 0] };
    grads.forEach((g, k) => {
      const t = k + 1;
      const s = adamStepScalars(config, t);
      adamUpdate(s, g, m, v, w, w);
      const out = new Float32Array(3);
      adamUpdate(s, g, m2, v2, w2, out);
      w2.set(out);
      for (let i = 0; i < 3; i++) {
        ref.m[i] = 0.9 * ref.m[i]! + 0.1 * g[i]!;
        ref.v[i] = 0.999 * ref.v[i]! + 0.001 * g[i]! ** 2;
        const mHat = ref.m[i]! / (1 - 0.9 ** t);
        const vHat = ref.v[i]! / (1 - 0.999 ** t);
        ref.w[i] = ref.w[i]! - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    });
    for (let i = 0; i < 3; i++) {
      expect(w[i]).toBeCloseTo(ref.w[i]!, 6);
      expect(m[i]).toBeCloseTo(ref.m[i]!, 6);
    }
    expect([...w2]).toEqual([...w]);
  });

  it('touches only [start, end)', () => {
    const s = adamStepScalars({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 1);
    const w = Float32Array.of(1, 1, 1, 1);
    adamUpdate(s, Float32Array.of(1, 1, 1, 1), new Float32Array(4), new Float32Array(4), w, w, 1, 3);
    expect(w[0]).toBe(1);
    expect(w[3]).toBe(1);
    expect(w[1]).toBeCloseTo(0.9, 5); // the first step moves a weight by lr·sign(g)
  });
});
