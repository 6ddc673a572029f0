// Small deterministic inputs shared by the snapshot, PNG and Canvas tests.
import { latentScatter } from '../latent-scatter.js';
import type { PlotSpec } from '../spec.js';
import { syntheticLatents } from '../synthetic.js';

/** 600 codes in 3 well-separated classes: class 0 at x ≈ 2.5 (right), class 1 upper left, class 2 lower left. */
export function scatterFixture(): PlotSpec {
  const { codes, labels } = syntheticLatents(600, { classes: 3, seed: 7 });
  return latentScatter({
    codes,
    dim: 2,
    labels,
    classNames: ['zero', 'one', 'two'],
    title: 'Three classes',
    radius: 3,
  });
}

/** Images 0..n−1 of h × w: image i has value (i + 1)/(n + 1) everywhere except a white top-left pixel. */
export function flatImages(n: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    out.fill((i + 1) / (n + 1), i * h * w, (i + 1) * h * w);
    out[i * h * w] = 1;
  }
  return out;
}
