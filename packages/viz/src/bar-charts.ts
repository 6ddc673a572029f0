import { format } from 'd3-format';
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { VizEmptyError, VizNonFiniteError, VizValueError } from './errors.js';
import { px } from './format.js';
import { axes, circlePath, frame, legend, legendWidth, type PlotOptions, spec, text } from './frame.js';
import type { Mark, PlotSpec } from './spec.js';

function readValues(fn: string, name: string, values: ArrayLike<number>, min = -Infinity): number[] {
  if (values.length === 0) throw new VizEmptyError(fn, `no ${name}`, 'at least 1 value', '0');
  return Array.from(values, (v, i) => {
    if (!Number.isFinite(v))
      throw new VizNonFiniteError(fn, `${name}[${i}] is not finite`, 'finite numbers', String(v));
    if (v < min) throw new VizValueError(fn, `${name}[${i}] is negative`, `≥ ${min}`, String(v));
    return v;
  });
}

/** Every k-th band label so that at most ~16 fit. */
function bandTicks(n: number, at: (i: number) => number, label: (i: number) => string) {
  const every = Math.ceil(n / 16);
  return Array.from({ length: n }, (_, i) => i)
    .filter((i) => i % every === 0)
    .map((i) => ({ at: at(i), label: label(i) }));
}

export interface ScreePlotOptions extends PlotOptions {
  /** Variance along each principal component λ_k (eigenvalues of the covariance), any order. */
  variances: ArrayLike<number>;
  /** Show only the first m components (ratios still use the total over all). */
  maxComponents?: number;
}

/**
 * PCA scree plot: explained-variance ratio r_k = λ_k / Σ_j λ_j as bars (components sorted by λ descending) and the
 * cumulative ratio Σ_{j≤k} r_j as a line with dots, on a 0–100 % axis.
 *
 * @example
 * const { codes, dim } = syntheticLatents(1000, { dim: 4, seed: 1 }); // or a model's codes [n, dim]
 * const plot = screePlot({ variances: pca(codes, dim).variances });
 */
export function screePlot(options: ScreePlotOptions): PlotSpec {
  const fn = 'screePlot';
  const lambda = readValues(fn, 'variances', options.variances, 0).sort((a, b) => b - a);
  const total = lambda.reduce((s, v) => s + v, 0);
  if (total <= 0) throw new VizValueError(fn, 'total variance', '> 0', String(total));
  const m = Math.min(lambda.length, options.maxComponents ?? lambda.length);
  const ratio = lambda.slice(0, m).map((v) => v / total);
  let acc = 0;
  const cumulative = ratio.map((r) => (acc += r));
  const title = options.title ?? 'PCA explained variance';
  const items = [
    { label: 'per component', color: '#56B4E9', kind: 'rect' as const },
    { label: 'cumulative', color: '#D55E00', kind: 'line' as const },
  ];
  const f = frame(
    title,
    options.xLabel ?? 'principal component',
    options.yLabel ?? 'explained variance',
    options.width ?? 560,
    options.height ?? 360,
    {
      legendWidth: legendWidth(items.map((i) => i.label)),
    },
  );
  const x = scaleBand<number>()
    .domain(ratio.map((_, i) => i))
    .range([f.left + 4, f.right - 4])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, 1])
    .range([f.bottom, f.top + 6]);
  const pct = format('.0%');
  const centre = (i: number) => x(i)! + x.bandwidth() / 2;
  const marks: Mark[] = axes(
    f,
    bandTicks(m, centre, (i) => String(i + 1)),
    y.ticks(5).map((t) => ({ at: y(t), label: pct(t) })),
  );
  ratio.forEach((r, i) => {
    marks.push({ type: 'rect', x: x(i)!, y: y(r), width: x.bandwidth(), height: y(0) - y(r), fill: '#56B4E9' });
  });
  const d = line<number>()
    .x((_, i) => centre(i))
    .y((c) => y(c))
    .digits(2)(cumulative);
  marks.push({ type: 'path', d: d ?? '', stroke: '#D55E00', strokeWidth: 2, fill: 'none' });
  marks.push({ type: 'path', d: cumulative.map((c, i) => circlePath(centre(i), y(c), 3)).join(''), fill: '#D55E00' });
  marks.push(...legend(f, items));
  return spec(f, title, marks);
}

export interface KlPerDimensionOptions extends PlotOptions {
  /** Mean KL(q(z_j|x) ‖ p(z_j)) of each latent dimension j, in nats. */
  kl: ArrayLike<number>;
  /** A dimension is "active" when its KL exceeds this (default 0.01 nats). */
  threshold?: number;
}

/**
 * KL per latent dimension, KL_j = E_x[½(μ_j² + σ_j² − log σ_j² − 1)], as bars: active dimensions (KL_j > threshold)
 * in blue, collapsed ones in grey, the threshold dashed; the subtitle counts the active units (Burda et al. 2016).
 *
 * @example
 * const plot = klPerDimension({ kl: [1.2, 0.8, 0.001, 0.3] }); // "3 of 4 dimensions active"
 */
export function klPerDimension(options: KlPerDimensionOptions): PlotSpec {
  const fn = 'klPerDimension';
  const kl = readValues(fn, 'kl', options.kl).map((v, i) => {
    if (v < -1e-6) throw new VizValueError(fn, `kl[${i}] is negative`, '≥ 0 (a KL divergence)', String(v));
    return Math.max(0, v);
  });
  const threshold = options.threshold ?? 0.01;
  const active = kl.filter((v) => v > threshold).length;
  const title = options.title ?? 'KL per latent dimension';
  const items = [
    { label: 'active', color: '#0072B2', kind: 'rect' as const },
    { label: 'collapsed', color: '#999999', kind: 'rect' as const },
    { label: `threshold ${threshold}`, color: '#D55E00', kind: 'line' as const, dash: [4, 3] },
  ];
  const f = frame(
    title,
    options.xLabel ?? 'latent dimension',
    options.yLabel ?? 'KL (nats)',
    options.width ?? 560,
    options.height ?? 360,
    {
      legendWidth: legendWidth(items.map((i) => i.label)),
      subtitle: `${active} of ${kl.length} dimensions active (KL > ${threshold} nats)`,
    },
  );
  const x = scaleBand<number>()
    .domain(kl.map((_, i) => i))
    .range([f.left + 4, f.right - 4])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, Math.max(threshold * 2, ...kl)])
    .nice()
    .range([f.bottom, f.top + 6]);
  const marks: Mark[] = axes(
    f,
    bandTicks(
      kl.length,
      (i) => x(i)! + x.bandwidth() / 2,
      (i) => String(i + 1),
    ),
    y.ticks(5).map((t) => ({ at: y(t), label: y.tickFormat(5)(t) })),
  );
  kl.forEach((v, i) => {
    const color = v > threshold ? '#0072B2' : '#999999';
    marks.push({
      type: 'rect',
      x: x(i)!,
      y: y(v),
      width: x.bandwidth(),
      height: Math.max(y(0) - y(v), 0),
      fill: color,
    });
  });
  marks.push({
    type: 'path',
    d: `M${px(f.left)},${px(y(threshold))}H${px(f.right)}`,
    stroke: '#D55E00',
    strokeWidth: 1.5,
    dash: [4, 3],
  });
  if (kl.every((v) => v <= threshold)) {
    marks.push(
      text((f.left + f.right) / 2, f.top + 20, 'every dimension collapsed to the prior', 12, {
        anchor: 'middle',
        fill: '#b2182b',
      }),
    );
  }
  marks.push(...legend(f, items));
  return spec(f, title, marks);
}
