import { px } from './format.js';
import type { Mark, PlotSpec, TextMark } from './spec.js';

/** Common options of every plot. */
export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Size in CSS pixels. */
  width?: number;
  height?: number;
}

/** The plot area (pixels) inside the margins, and the marks drawn so far. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  marks: Mark[];
}

export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e5e5e5';
export const WARN = '#b2182b';

const TITLE_SIZE = 16;
const LABEL_SIZE = 12;
export const TICK_SIZE = 10;

/** Rough advance width of DejaVu Sans text, ~0.62 em per character (for legend layout only). */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.62;
}

/**
 * Lays out a plot: title on top (optional subtitle below it), x label under the plot area, y label rotated on the left,
 * `legendWidth` pixels reserved on the right.
 */
export function frame(
  title: string,
  xLabel: string,
  yLabel: string,
  width: number,
  height: number,
  options: { legendWidth?: number; subtitle?: string; left?: number; bottom?: number } = {},
): Frame {
  const { legendWidth = 0, subtitle, left = 64, bottom = 48 } = options;
  const top = subtitle ? 52 : 36;
  const marks: Mark[] = [
    text(width / 2, 22, title, TITLE_SIZE, { anchor: 'middle', weight: 'bold' }),
    text(left + (width - legendWidth - 16 - left) / 2, height - 10, xLabel, LABEL_SIZE, { anchor: 'middle' }),
    text(16, top + (height - bottom - top) / 2, yLabel, LABEL_SIZE, {
      anchor: 'middle',
      rotate: -90,
      baseline: 'hanging',
    }),
  ];
  if (subtitle) marks.push(text(width / 2, 40, subtitle, 11, { anchor: 'middle', fill: MUTED }));
  return { width, height, left, top, right: width - legendWidth - 16, bottom: height - bottom, marks };
}

export function text(
  x: number,
  y: number,
  value: string,
  size: number,
  options: Partial<Omit<TextMark, 'type' | 'x' | 'y' | 'text' | 'size'>> = {},
): TextMark {
  return {
    type: 'text',
    x,
    y,
    text: value,
    size,
    fill: options.fill ?? INK,
    anchor: options.anchor ?? 'start',
    baseline: options.baseline ?? 'alphabetic',
    ...(options.weight ? { weight: options.weight } : {}),
    ...(options.rotate ? { rotate: options.rotate } : {}),
  };
}

/** A tick at pixel `at` with its label. */
export interface Tick {
  at: number;
  label: string;
}

/** Axis lines, tick marks, tick labels and light grid lines for the frame's plot area. */
export function axes(f: Frame, xTicks: Tick[], yTicks: Tick[], options: { grid?: boolean } = {}): Mark[] {
  const { grid = true } = options;
  const marks: Mark[] = [];
  if (grid) {
    let d = '';
    for (const t of yTicks) d += `M${px(f.left)},${px(t.at)}H${px(f.right)}`;
    for (const t of xTicks) d += `M${px(t.at)},${px(f.top)}V${px(f.bottom)}`;
    if (d) marks.push({ type: 'path', d, stroke: GRID, strokeWidth: 1 });
  }
  let ticks = `M${px(f.left)},${px(f.top)}V${px(f.bottom)}H${px(f.right)}`;
  for (const t of xTicks) ticks += `M${px(t.at)},${px(f.bottom)}v5`;
  for (const t of yTicks) ticks += `M${px(f.left)},${px(t.at)}h-5`;
  marks.push({ type: 'path', d: ticks, stroke: INK, strokeWidth: 1 });
  for (const t of xTicks)
    marks.push(text(t.at, f.bottom + 8, t.label, TICK_SIZE, { anchor: 'middle', baseline: 'hanging' }));
  for (const t of yTicks) marks.push(text(f.left - 8, t.at, t.label, TICK_SIZE, { anchor: 'end', baseline: 'middle' }));
  return marks;
}

/** One legend entry: a swatch (point, line or box) and its label. */
export interface LegendItem {
  label: string;
  color: string;
  kind: 'point' | 'line' | 'rect';
  dash?: number[];
}

/** Legend entries stacked in the right margin, starting at the top of the plot area. */
export function legend(f: Frame, items: LegendItem[], title?: string): Mark[] {
  const marks: Mark[] = [];
  const x = f.right + 16;
  let y = f.top + 6;
  if (title) {
    marks.push(text(x, y, title, 11, { weight: 'bold', baseline: 'middle' }));
    y += 18;
  }
  for (const item of items) {
    if (item.kind === 'point') {
      marks.push({ type: 'path', d: circlePath(x + 6, y, 4.5), fill: item.color });
    } else if (item.kind === 'rect') {
      marks.push({ type: 'rect', x, y: y - 5, width: 12, height: 10, fill: item.color });
    } else {
      marks.push({
        type: 'path',
        d: `M${px(x)},${px(y)}h18`,
        stroke: item.color,
        strokeWidth: 2,
        ...(item.dash ? { dash: item.dash } : {}),
      });
    }
    marks.push(text(x + (item.kind === 'line' ? 24 : 18), y, item.label, 11, { baseline: 'middle' }));
    y += 17;
  }
  return marks;
}

/** Width a legend with these labels needs. */
export function legendWidth(labels: string[], title = ''): number {
  const widest = Math.max(textWidth(title, 11), ...labels.map((l) => 24 + textWidth(l, 11)));
  return Math.min(220, Math.ceil(widest + 24));
}

/** SVG path data of a circle (two arcs), used for points and legend swatches. */
export function circlePath(x: number, y: number, r: number): string {
  return `M${px(x - r)},${px(y)}a${px(r)},${px(r)} 0 1,0 ${px(2 * r)},0a${px(r)},${px(r)} 0 1,0 ${px(-2 * r)},0Z`;
}

/** Assembles a spec. */
export function spec(f: Frame, title: string, marks: Mark[]): PlotSpec {
  return { width: f.width, height: f.height, background: '#ffffff', title, marks: [...f.marks, ...marks] };
}
