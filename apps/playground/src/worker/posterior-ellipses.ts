/**
 * What makes a VAE's latent space regular, drawn on its scatter: each input's code is a distribution, the
 * posterior q(z|x) = N(μ(x), diag σ(x)²), not a point. For one input per class, the ellipse
 * (z₁ − μ₁)²/σ₁² + (z₂ − μ₂)²/σ₂² = 1 in the two plotted dimensions (the 1σ region, 1 − e^(−1/2) ≈ 39 % of the
 * mass in two dimensions), in the class's colour over a white halo. Codes map to pixels by the scatter's affine map pixel = a·z + b
 * (`LatentAxes`), so the ellipse is centred on the pixel of μ with radii |a_x|·σ₁ and |a_y|·σ₂. The encoder is run
 * on the chosen inputs only, and every tensor is freed.
 *
 * @example
 * const marks = await posteriorEllipses(vae, x, 784, [{ row: 0, group: 7 }], axes, categoricalColors(10));
 * // marks[0]: a path around the pixel of μ(x₀), in class 7's colour
 */
import type { Vae } from '@latentlab/models';
import type { PathMark } from '@latentlab/viz';
import { tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { LatentAxes } from '../protocol.js';
import { ellipse } from './latent-guides.js';
import { gatherRows } from './plot-sample.js';
import { take } from './read-tensor.js';

/** One input whose posterior is drawn: its row in `x` and its class (the colour). */
export interface EllipsePick {
  row: number;
  group: number;
}

/** The first row of each class, in class order (at most `max` of them). */
export function onePerClass(labels: ArrayLike<number>, max = 12): EllipsePick[] {
  const first = new Map<number, number>();
  for (let row = 0; row < labels.length; row++) if (!first.has(labels[row]!)) first.set(labels[row]!, row);
  return [...first.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, max)
    .map(([group, row]) => ({ row, group }));
}

export async function posteriorEllipses(
  model: Vae,
  x: Float32Array,
  d: number,
  picks: EllipsePick[],
  axes: LatentAxes,
  colors: string[],
): Promise<PathMark[]> {
  if (picks.length === 0) return [];
  const rows = gatherRows(
    x,
    d,
    Int32Array.from(picks, (p) => p.row),
  );
  const posterior = tidy(() => model.posterior(tensor2d(rows, [picks.length, d])));
  const k = posterior.mu.shape[1];
  const [m, lv] = await Promise.all([take(posterior.mu), take(posterior.logVar)]);
  const second = k > 1 ? 1 : 0;
  const { ax, bx, ay, by } = axes;
  // Each ellipse twice: a white halo, then the class colour, so it shows over points of its own colour.
  return picks.flatMap(({ group }, i): PathMark[] => {
    const sigma = (j: number) => Math.exp(0.5 * lv[i * k + j]!);
    const d = ellipse(
      ax * m[i * k]! + bx,
      ay * m[i * k + second]! + by,
      Math.abs(ax) * sigma(0),
      Math.abs(ay) * sigma(second),
    );
    return [
      { type: 'path', d, stroke: '#ffffff', strokeWidth: 3.5 },
      { type: 'path', d, stroke: colors[group % colors.length]!, strokeWidth: 1.5 },
    ];
  });
}
