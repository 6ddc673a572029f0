/**
 * A plot spec: everything a renderer needs, already in pixel space. Plot builders (`latentScatter`, `lossCurves`,
 * ...) are pure transforms from data to a spec (extents → scales → marks, as observablehq/plot separates transforms
 * from marks); `renderSvg`, `renderCanvas` and `renderPng` (from `@latentlab/viz/node`) draw the same spec.
 */

/** Text anchored at (x, y); `baseline: 'middle'` centres it vertically, `'hanging'` puts its top at y. */
export interface TextMark {
  type: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  fill: string;
  anchor: 'start' | 'middle' | 'end';
  baseline: 'alphabetic' | 'middle' | 'hanging';
  weight?: 'normal' | 'bold';
  /** Rotation in degrees about (x, y), e.g. -90 for a y-axis label. */
  rotate?: number;
}

/** A filled (and optionally stroked) rectangle, in pixels. */
export interface RectMark {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
}

/** An SVG path-data string; the Canvas renderer draws it with `new Path2D(d)`. */
export interface PathMark {
  type: 'path';
  d: string;
  stroke?: string;
  strokeWidth?: number;
  fill?: string;
  dash?: number[];
  opacity?: number;
}

/** Many filled circles: point i at (x[i], y[i]) in colour `colors[group[i]]`, drawn in index order. */
export interface PointsMark {
  type: 'points';
  x: Float32Array;
  y: Float32Array;
  group: Uint16Array;
  colors: string[];
  radius: number;
  opacity: number;
}

/** An RGBA raster of pixelWidth × pixelHeight drawn into the box (x, y, width, height), nearest-neighbour. */
export interface ImageMark {
  type: 'image';
  x: number;
  y: number;
  width: number;
  height: number;
  pixelWidth: number;
  pixelHeight: number;
  rgba: Uint8ClampedArray;
}

/** One drawable element of a plot, in pixels: text, rectangle, path, points or a raster image. */
export type Mark = TextMark | RectMark | PathMark | PointsMark | ImageMark;

/** A whole plot: its size, background and marks, in pixels; what every renderer draws. */
export interface PlotSpec {
  /** Size in CSS pixels. */
  width: number;
  height: number;
  background: string;
  /** The plot's title (also drawn as a text mark); used as the SVG `<title>` and report alt text. */
  title: string;
  marks: Mark[];
}

/** Font stack used by every renderer; DejaVu Sans is bundled for PNG rendering in Node. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";
