import { extent } from 'd3-array';
import { format } from 'd3-format';
import { hexbin as d3hexbin } from 'd3-hexbin';
import { scaleLinear } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { type LatentCodes, readCodes } from './codes.js';
import { VizEmptyError, VizShapeError, VizValueError } from './errors.js';
import { px } from './format.js';
import { axes, frame, legend, legendWidth, type PlotOptions, spec } from './frame.js';
import { categoricalColors } from './palette.js';
import { sampleIndices } from './random.js';
import type { Mark, PlotSpec } from './spec.js';

export interface LatentScatterOptions extends PlotOptions {
  /** Codes `[n, dim]` (rows, or flat with `dim`). */
  codes: LatentCodes;
  dim?: number;
  /** The two dimensions to plot (default [0, 1]). */
  dims?: [number, number];
  /** Integer class of each code, 0..k−1. */
  labels?: ArrayLike<number>;
  /** Legend names of the classes (default "0", "1", ...). */
  classNames?: string[];
  /**
   * `'points'` every code (fast on Canvas); `'sample'` a seeded uniform sample of `maxPoints` codes (light SVG);
   * `'hexbin'` hexagonal bins coloured by majority class, opacity ∝ count.
   */
  mode?: 'points' | 'sample' | 'hexbin';
  maxPoints?: number;
  seed?: number;
  /** Point radius in pixels (default 2 for > 2000 points, else 3). */
  radius?: number;
  /** Hexagon radius in pixels (default 8). */
  hexRadius?: number;
}

const count = format(',');

/**
 * Scatter plot of two latent dimensions coloured by label. Transforms: extent of each dimension → `.nice()` linear
 * scale → pixel positions; labels → colour-blind-safe palette (Okabe–Ito / Tol muted).
 * Non-finite codes throw `VizNonFiniteError`, a label outside 0..k−1 `VizValueError`, no codes `VizEmptyError`.
 *
 * @example
 * const { codes, labels } = syntheticLatents(10_000, { classes: 2, seed: 1 });
 * const plot = latentScatter({ codes, dim: 2, labels, classNames: ['0', '1'], mode: 'sample', maxPoints: 2000, seed: 1 });
 * const svg = renderSvg(plot);
 */
export function latentScatter(options: LatentScatterOptions): PlotSpec {
  const fn = 'latentScatter';
  const { codes, dim, dims = [0, 1], labels, mode = 'points', maxPoints = 2000, seed = 1, hexRadius = 8 } = options;
  if (mode !== 'points' && mode !== 'sample' && mode !== 'hexbin') {
    throw new VizValueError(fn, 'unknown mode', "'points' | 'sample' | 'hexbin'", String(mode));
  }
  const isEmpty = Array.isArray(codes) ? codes.length === 0 : codes.length === 0;
  if (isEmpty) throw new VizEmptyError(fn, 'no codes to plot', 'at least 1 code', '0');
  const m = readCodes(fn, codes, dim);
  const [di, dj] = dims;
  if (!(di >= 0 && dj >= 0 && di < m.dim && dj < m.dim)) {
    throw new VizValueError(fn, 'dims out of range', `two indices in [0, ${m.dim})`, `[${di}, ${dj}]`);
  }
  let k = 1;
  if (labels) {
    if (labels.length !== m.n) throw new VizShapeError(fn, 'one label per code', `${m.n} labels`, `${labels.length}`);
    let maxLabel = 0;
    for (let i = 0; i < m.n; i++) {
      const l = labels[i]!;
      if (!Number.isInteger(l) || l < 0 || l > 65535) {
        throw new VizValueError(fn, `label ${i} is not a class index`, 'an integer in 0..65535', String(l));
      }
      if (l > maxLabel) maxLabel = l;
    }
    k = Math.max(maxLabel + 1, options.classNames?.length ?? 0);
    if (options.classNames && options.classNames.length < maxLabel + 1) {
      throw new VizShapeError(fn, 'too few classNames', `≥ ${maxLabel + 1} names`, `${options.classNames.length}`);
    }
  }
  const names = labels ? Array.from({ length: k }, (_, c) => options.classNames?.[c] ?? String(c)) : [];
  const colors = labels ? categoricalColors(k) : ['#0072B2'];

  let index: ArrayLike<number> = Uint32Array.from({ length: m.n }, (_, i) => i);
  let subtitle: string | undefined;
  if (mode === 'sample' && m.n > maxPoints) {
    index = sampleIndices(m.n, maxPoints, seed);
    subtitle = `${count(index.length)} of ${count(m.n)} codes (uniform random sample, seed ${seed})`;
  }

  const xs = new Float64Array(m.n);
  const ys = new Float64Array(m.n);
  for (let i = 0; i < m.n; i++) {
    xs[i] = m.data[i * m.dim + di]!;
    ys[i] = m.data[i * m.dim + dj]!;
  }
  const ext = (a: Float64Array): [number, number] => {
    const [lo, hi] = extent(a) as [number, number];
    return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  };

  const legendW = labels ? legendWidth(names, 'class') : mode === 'hexbin' ? legendWidth(['000000'], 'codes') : 0;
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const title = options.title ?? 'Latent space';
  const xLabel = options.xLabel ?? `z${di + 1}`;
  const yLabel = options.yLabel ?? `z${dj + 1}`;
  if (mode === 'hexbin') {
    subtitle = labels
      ? `${count(m.n)} codes in hexagons: colour = most frequent class, opacity ∝ count`
      : `${count(m.n)} codes in hexagons: colour = count (viridis)`;
  }
  const f = frame(title, xLabel, yLabel, width, height, { legendWidth: legendW, ...(subtitle ? { subtitle } : {}) });
  const x = scaleLinear()
    .domain(ext(xs))
    .nice()
    .range([f.left + 6, f.right - 6]);
  const y = scaleLinear()
    .domain(ext(ys))
    .nice()
    .range([f.bottom - 6, f.top + 6]);
  const marks: Mark[] = axes(
    f,
    x.ticks(6).map((t) => ({ at: x(t), label: x.tickFormat(6)(t) })),
    y.ticks(6).map((t) => ({ at: y(t), label: y.tickFormat(6)(t) })),
  );

  if (mode === 'hexbin') {
    const hb = d3hexbin<number>()
      .x((i) => x(xs[i]!))
      .y((i) => y(ys[i]!))
      .radius(hexRadius)
      .extent([
        [f.left, f.top],
        [f.right, f.bottom],
      ]);
    // Sorted top-to-bottom, left-to-right: d3-hexbin's own order is an object's key order, not stable across engines.
    const bins = hb(Array.from(index)).sort((a, b) => a.y - b.y || a.x - b.x);
    const maxCount = Math.max(...bins.map((b) => b.length));
    // Pointy-top hexagon of radius r as relative moves from its centre, rounded like every other coordinate.
    const corners = Array.from({ length: 6 }, (_, c) => [
      hexRadius * Math.sin((c * Math.PI) / 3),
      -hexRadius * Math.cos((c * Math.PI) / 3),
    ]);
    const hex = `m${px(corners[0]![0]!)},${px(corners[0]![1]!)}${corners
      .slice(1)
      .map(([cx, cy], c) => `l${px(cx! - corners[c]![0]!)},${px(cy! - corners[c]![1]!)}`)
      .join('')}z`;
    for (const bin of bins) {
      const perClass = new Uint32Array(k);
      for (const i of bin) perClass[labels ? labels[i]! : 0]! += 1;
      let best = 0;
      for (let c = 1; c < k; c++) if (perClass[c]! > perClass[best]!) best = c;
      const d = `M${px(bin.x)},${px(bin.y)}${hex}`;
      if (labels) {
        const opacity = Math.round((0.25 + (0.75 * bin.length) / maxCount) * 1000) / 1000;
        marks.push({ type: 'path', d, fill: colors[best]!, opacity });
      } else {
        // Unlabelled: a sequential, colour-blind-safe scale of the count (viridis: dark = few, yellow = many).
        marks.push({ type: 'path', d, fill: interpolateViridis(bin.length / maxCount) });
      }
    }
    if (!labels) {
      const steps = [1, Math.max(1, Math.round(maxCount / 2)), maxCount];
      const items = steps.map((c) => ({
        label: count(c),
        color: interpolateViridis(c / maxCount),
        kind: 'rect' as const,
      }));
      marks.push(...legend(f, items, 'codes'));
    }
  } else {
    const npts = index.length;
    const xPix = new Float32Array(npts);
    const yPix = new Float32Array(npts);
    const group = new Uint16Array(npts);
    // Draw class by class in label order (like per-class scatter calls), original order inside a class.
    const order = Array.from(index).sort((a, b) => (labels ? labels[a]! - labels[b]! : 0) || a - b);
    order.forEach((i, o) => {
      xPix[o] = Math.round(x(xs[i]!) * 100) / 100;
      yPix[o] = Math.round(y(ys[i]!) * 100) / 100;
      group[o] = labels ? labels[i]! : 0;
    });
    const radius = options.radius ?? (npts > 2000 ? 2 : 3);
    marks.push({ type: 'points', x: xPix, y: yPix, group, colors, radius, opacity: 0.75 });
  }
  if (labels) {
    marks.push(
      ...legend(
        f,
        names.map((label, c) => ({ label, color: colors[c]!, kind: 'point' as const })),
        'class',
      ),
    );
  }
  return spec(f, title, marks);
}
