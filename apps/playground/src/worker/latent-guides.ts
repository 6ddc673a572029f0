/**
 * Guides drawn over a latent scatter: where the prior N(0, I) lies (dashed circles ‖z‖ = 1 and ‖z‖ = 2, about 39 %
 * and 86 % of its mass in two dimensions: P(‖z‖ ≤ r) = 1 − e^(−r²/2)) and the square [−e, e]² the decoded grid
 * covers, so the scatter and the grid can be read against each other. Codes map to pixels by the scatter's own
 * affine map, pixel = a·z + b (`LatentAxes`). Nothing is drawn outside `box` (the pixel extent of the plotted codes,
 * inside the plot's frame): a circle only when it fits, the square's sides only where they cross the box.
 *
 * @example
 * const box = { x0: 0, x1: 200, y0: 0, y1: 200 };
 * const marks = latentGuides({ ax: 10, bx: 100, ay: -10, by: 100, latentDim: 2 }, 3, box);
 * // marks[0].d starts 'M 90 100 A 10 10' (the circle ‖z‖ = 1 around the pixel of z = 0)
 */
import type { PathMark, TextMark } from '@latentlab/viz';
import type { LatentAxes } from '../protocol.js';

const PRIOR = '#555555';
const GRID = '#d55e00'; // Okabe–Ito vermillion

/** The SVG path of the axis-aligned ellipse of centre (cx, cy) and radii rx, ry (two half arcs). */
export function ellipse(cx: number, cy: number, rx: number, ry: number): string {
  return `M ${cx - rx} ${cy} A ${rx} ${ry} 0 1 0 ${cx + rx} ${cy} A ${rx} ${ry} 0 1 0 ${cx - rx} ${cy} Z`;
}

/** A pixel rectangle: x0 ≤ x ≤ x1, y0 ≤ y ≤ y1. */
export interface PixelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function latentGuides(axes: LatentAxes, gridExtent: number | null, box: PixelBox): (PathMark | TextMark)[] {
  const { ax, bx, ay, by } = axes;
  const fits = (r: number) =>
    bx - Math.abs(ax) * r >= box.x0 &&
    bx + Math.abs(ax) * r <= box.x1 &&
    by - Math.abs(ay) * r >= box.y0 &&
    by + Math.abs(ay) * r <= box.y1;
  const radii = [1, 2].filter(fits);
  const marks: (PathMark | TextMark)[] = radii.map((r) => ({
    type: 'path',
    d: ellipse(bx, by, Math.abs(ax) * r, Math.abs(ay) * r),
    stroke: PRIOR,
    strokeWidth: 1,
    dash: [4, 3],
  }));
  const r = radii.at(-1);
  if (r !== undefined)
    marks.push({
      type: 'text',
      x: bx + Math.abs(ax) * r * Math.SQRT1_2 + 3,
      y: by - Math.abs(ay) * r * Math.SQRT1_2 - 3,
      text: r === 2 ? 'N(0, I): 1σ, 2σ' : 'N(0, I): 1σ',
      size: 10,
      fill: PRIOR,
      anchor: 'start',
      baseline: 'alphabetic',
    });
  if (gridExtent !== null) {
    const e = gridExtent;
    const [x0, x1] = [ax * -e + bx, ax * e + bx].sort((p, q) => p - q) as [number, number];
    const [y0, y1] = [ay * -e + by, ay * e + by].sort((p, q) => p - q) as [number, number];
    const [cx0, cx1] = [Math.max(x0, box.x0), Math.min(x1, box.x1)];
    const [cy0, cy1] = [Math.max(y0, box.y0), Math.min(y1, box.y1)];
    const sides: string[] = [];
    if (cx0 < cx1) {
      for (const y of [y0, y1]) if (y >= box.y0 && y <= box.y1) sides.push(`M ${cx0} ${y} H ${cx1}`);
    }
    if (cy0 < cy1) {
      for (const x of [x0, x1]) if (x >= box.x0 && x <= box.x1) sides.push(`M ${x} ${cy0} V ${cy1}`);
    }
    if (sides.length > 0) {
      marks.push({ type: 'path', d: sides.join(' '), stroke: GRID, strokeWidth: 1, dash: [2, 2] });
    }
  }
  return marks;
}
