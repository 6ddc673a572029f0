import { format } from 'd3-format';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { VizEmptyError, VizNonFiniteError } from './errors.js';
import { px } from './format.js';
import { axes, frame, type LegendItem, legend, legendWidth, type PlotOptions, spec, text, WARN } from './frame.js';
import type { Mark, PlotSpec } from './spec.js';

/** Per-epoch values of the loss terms (any subset). */
export interface LossHistory {
  reconstruction?: ArrayLike<number>;
  kl?: ArrayLike<number>;
  total?: ArrayLike<number>;
}

export interface LossCurvesOptions extends PlotOptions {
  train: LossHistory;
  validation?: LossHistory;
  /** Logarithmic y axis (values ≤ 0 are then gaps, like NaN). */
  logScale?: boolean;
}

const METRICS = [
  ['reconstruction', 'reconstruction', '#0072B2'],
  ['kl', 'KL', '#D55E00'],
  ['total', 'total', '#000000'],
] as const;

interface Series {
  name: string;
  color: string;
  dash?: number[];
  values: ArrayLike<number>;
}

/** Runs of consecutive indices [start, end]. */
function runs(indices: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const i of indices) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/**
 * Loss per epoch: reconstruction, KL and total (−ELBO = reconstruction + KL), train solid, validation dashed,
 * optionally on a log scale. Epoch e (1-based) is at x = e. A value that cannot be drawn (NaN, ±∞, or ≤ 0 on a
 * log scale) leaves a gap in its line, shaded and labelled in red, and listed under the title — never silently dropped.
 *
 * @example
 * const [reconstruction, kl] = [[160, 120, 110], [5, 12, 15]]; // per epoch
 * const total = reconstruction.map((r, i) => r + kl[i]!);
 * const valTotal = [150, 128, 126];
 * const plot = lossCurves({ train: { reconstruction, kl, total }, validation: { total: valTotal }, logScale: true });
 */
export function lossCurves(options: LossCurvesOptions): PlotSpec {
  const fn = 'lossCurves';
  const { logScale = false } = options;
  const series: Series[] = [];
  for (const [split, history] of [
    ['train', options.train],
    ['validation', options.validation],
  ] as const) {
    if (!history) continue;
    for (const [key, label, color] of METRICS) {
      const values = history[key];
      if (!values || values.length === 0) continue;
      series.push({ name: `${label} (${split})`, color, values, ...(split === 'validation' ? { dash: [6, 4] } : {}) });
    }
  }
  if (series.length === 0) throw new VizEmptyError(fn, 'no loss values', 'at least one non-empty series', 'none');
  const ok = (v: number) => Number.isFinite(v) && (!logScale || v > 0);
  let lo = Infinity;
  let hi = -Infinity;
  let epochs = 0;
  const bad = new Map<string, number[]>();
  for (const s of series) {
    epochs = Math.max(epochs, s.values.length);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      if (ok(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      } else {
        bad.set(s.name, [...(bad.get(s.name) ?? []), i]);
      }
    }
  }
  if (lo > hi) {
    throw new VizNonFiniteError(
      fn,
      'no drawable loss value',
      logScale ? 'finite values > 0' : 'finite values',
      'only NaN/±∞/≤ 0',
    );
  }
  if (lo === hi) [lo, hi] = logScale ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  const notes = [...bad].map(
    ([name, idx]) =>
      `${name}: epoch ${runs(idx)
        .map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}–${b + 1}`))
        .join(', ')}`,
  );
  const subtitle =
    notes.length > 0 ? `not drawn (${logScale ? 'NaN/∞/≤ 0' : 'NaN/∞'}): ${notes.join('; ')}` : undefined;

  const title = options.title ?? 'Loss';
  const lw = legendWidth(series.map((s) => s.name));
  const f = frame(
    title,
    options.xLabel ?? 'epoch',
    options.yLabel ?? (logScale ? 'loss (log scale)' : 'loss'),
    options.width ?? 640,
    options.height ?? 400,
    {
      legendWidth: lw,
      ...(subtitle ? { subtitle } : {}),
    },
  );
  const x = scaleLinear()
    .domain(epochs === 1 ? [0.5, 1.5] : [1, epochs])
    .range([f.left + 8, f.right - 8]);
  const y = logScale
    ? scaleLog()
        .domain([lo, hi])
        .nice()
        .range([f.bottom - 6, f.top + 6])
    : scaleLinear()
        .domain([lo, hi])
        .nice()
        .range([f.bottom - 6, f.top + 6]);
  const xt = x.ticks(Math.min(8, epochs)).filter(Number.isInteger);
  const yFormat = logScale ? y.tickFormat(6, '~g') : y.tickFormat(6);
  const yt = y.ticks(6).filter((t) => yFormat(t) !== '');
  const marks: Mark[] = [];
  // Shaded gaps first so lines draw over them.
  const allBad = [...new Set([...bad.values()].flat())].sort((a, b) => a - b);
  for (const [a, b] of runs(allBad)) {
    const x0 = Math.max(f.left, x(a + 1) - Math.max(3, (x(2) - x(1)) / 2));
    const x1 = Math.min(f.right, x(b + 1) + Math.max(3, (x(2) - x(1)) / 2));
    marks.push({ type: 'rect', x: x0, y: f.top, width: x1 - x0, height: f.bottom - f.top, fill: WARN, opacity: 0.15 });
    marks.push(
      text((x0 + x1) / 2, f.top + 4, 'gap', 10, { anchor: 'middle', baseline: 'hanging', fill: WARN, weight: 'bold' }),
    );
  }
  marks.push(
    ...axes(
      f,
      xt.map((t) => ({ at: x(t), label: format('d')(t) })),
      yt.map((t) => ({ at: y(t), label: yFormat(t) })),
    ),
  );
  for (const s of series) {
    const pts = Array.from(s.values, (v, i) => [i + 1, v] as [number, number]);
    const path = line<[number, number]>()
      .defined(([, v]) => ok(v))
      .x(([e]) => x(e))
      .y(([, v]) => y(v))
      .digits(2);
    let d = path(pts) ?? '';
    // A lone drawable value between gaps has no segment: mark it with a dot.
    pts.forEach(([e, v], i) => {
      const prevOk = i > 0 && ok(s.values[i - 1]!);
      const nextOk = i < s.values.length - 1 && ok(s.values[i + 1]!);
      if (ok(v) && !prevOk && !nextOk) d += `M${px(x(e) - 2)},${px(y(v))}h4`;
    });
    marks.push({ type: 'path', d, stroke: s.color, strokeWidth: 2, fill: 'none', ...(s.dash ? { dash: s.dash } : {}) });
  }
  const items: LegendItem[] = series.map((s) => ({
    label: s.name,
    color: s.color,
    kind: 'line',
    ...(s.dash ? { dash: s.dash } : {}),
  }));
  marks.push(...legend(f, items));
  return spec(f, title, marks);
}
