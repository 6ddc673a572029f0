import { VizValueError } from './errors.js';
import { axes, frame, type PlotOptions, spec, type Tick, textWidth } from './frame.js';
import type { GreyImages, ImagesInput, PixelRange, TileLayout } from './images.js';
import { composeTiles, readImages } from './images.js';
import type { Mark, PlotSpec } from './spec.js';

/** Options shared by every plot made of image tiles. */
export interface TileOptions extends PlotOptions {
  /** Display pixels per image pixel (default: the largest integer that keeps the grid within 480 px, at least 1). */
  scale?: number;
  /** Gap between tiles in image pixels (default 2). */
  gap?: number;
  /** Value range of the pixels (default `'auto'`). */
  range?: PixelRange;
}

/** @internal Lays image tiles out as one raster inside a titled, labelled frame. */
export function tilePlot(input: {
  title: string;
  xLabel: string;
  yLabel: string;
  images: GreyImages;
  layout: TileLayout;
  order?: ArrayLike<number>;
  /** Labels at column / row centres. */
  colTicks?: { index: number; label: string }[];
  rowTicks?: { index: number; label: string }[];
  subtitle?: string;
  options: TileOptions;
}): PlotSpec {
  const { images, layout, options } = input;
  const { h, w } = images;
  const W = layout.cols * w + (layout.cols - 1) * layout.gap;
  const H = layout.rows * h + (layout.rows - 1) * layout.gap;
  const scale = options.scale ?? Math.max(1, Math.floor(480 / Math.max(W, H)));
  if (!(scale > 0)) throw new VizValueError('imageGrid', 'scale', 'a number > 0', String(scale));
  const left = input.rowTicks ? Math.max(64, 34 + Math.max(...input.rowTicks.map((t) => textWidth(t.label, 10)))) : 40;
  const bottom = input.colTicks ? 48 : 32;
  const top = input.subtitle ? 52 : 36;
  const width =
    options.width ?? Math.max(Math.ceil(left + W * scale + 16), Math.ceil(textWidth(input.title, 16) + 40), 280);
  const height = options.height ?? Math.ceil(top + H * scale + bottom);
  const f = frame(input.title, input.xLabel, input.yLabel, width, height, {
    left,
    bottom,
    ...(input.subtitle ? { subtitle: input.subtitle } : {}),
  });
  // Fit the raster into the plot area (keeping aspect), centred.
  const s = Math.min(scale, (f.right - f.left) / W, (f.bottom - f.top) / H);
  const x0 = f.left + (f.right - f.left - W * s) / 2;
  const y0 = f.top + (f.bottom - f.top - H * s) / 2;
  const at = (i: number, size: number) => (i * (size + layout.gap) + size / 2) * s;
  const xTicks: Tick[] = (input.colTicks ?? []).map((t) => ({ at: x0 + at(t.index, w), label: t.label }));
  const yTicks: Tick[] = (input.rowTicks ?? []).map((t) => ({ at: y0 + at(t.index, h), label: t.label }));
  const marks: Mark[] = axes(
    { ...f, left: x0 - 4, bottom: y0 + H * s + 4, right: x0 + W * s, top: y0 },
    xTicks,
    yTicks,
    {
      grid: false,
    },
  );
  const rgba = composeTiles(images, layout, input.order);
  marks.unshift({ type: 'image', x: x0, y: y0, width: W * s, height: H * s, pixelWidth: W, pixelHeight: H, rgba });
  return spec(f, input.title, marks);
}

export interface ImageGridOptions extends TileOptions {
  /** Grey images, `[n, h, w]` flat or one `[h, w]` array each. */
  images: ImagesInput;
  /** `[h, w]` of one image. */
  imageShape: [number, number];
  /** Tiles per row (default ⌈√n⌉). */
  cols?: number;
}

/**
 * A grid of images, e.g. samples decoded from the prior: tile t at row ⌊t/cols⌋, column t mod cols.
 *
 * @example
 * const samples = toyDecode(manifoldCodes(dimsPlane(2), 4).codes); // 16 images [16 · 28 · 28] in [0, 1]
 * const plot = imageGrid({ images: samples, imageShape: [28, 28], title: 'Samples from p(z)' });
 */
export function imageGrid(options: ImageGridOptions): PlotSpec {
  const images = readImages('imageGrid', options.images, options.imageShape, options.range);
  const cols = options.cols ?? Math.ceil(Math.sqrt(images.n));
  if (!(Number.isInteger(cols) && cols >= 1))
    throw new VizValueError('imageGrid', 'cols', 'an integer ≥ 1', String(cols));
  const rows = Math.ceil(images.n / cols);
  return tilePlot({
    title: options.title ?? 'Samples',
    xLabel: options.xLabel ?? `${images.n} images, ${images.h} × ${images.w}`,
    yLabel: options.yLabel ?? '',
    images,
    layout: { rows, cols, gap: options.gap ?? 2 },
    options,
  });
}

export interface ReconstructionGridOptions extends TileOptions {
  inputs: ImagesInput;
  reconstructions: ImagesInput;
  imageShape: [number, number];
  /** Examples per row pair (default min(n, 10)). */
  perRow?: number;
}

/**
 * Inputs beside their reconstructions: rows come in pairs, the input row above its reconstruction row, so each
 * example x and its x̂ are in the same column.
 *
 * @example
 * const x = toyDecode(manifoldCodes(dimsPlane(2), 3).codes); // 9 inputs and their reconstructions
 * const xHat = x.map((v) => v * 0.9);
 * const plot = reconstructionGrid({ inputs: x, reconstructions: xHat, imageShape: [28, 28] });
 */
export function reconstructionGrid(options: ReconstructionGridOptions): PlotSpec {
  const fn = 'reconstructionGrid';
  const inputs = readImages(fn, options.inputs, options.imageShape, options.range);
  const recons = readImages(fn, options.reconstructions, options.imageShape, options.range);
  if (inputs.n !== recons.n) {
    throw new VizValueError(fn, 'one reconstruction per input', `${inputs.n} reconstructions`, `${recons.n}`);
  }
  const n = inputs.n;
  const cols = Math.min(n, options.perRow ?? 10);
  const pairs = Math.ceil(n / cols);
  const size = inputs.h * inputs.w;
  const grey = new Uint8ClampedArray(2 * n * size);
  grey.set(inputs.grey, 0);
  grey.set(recons.grey, n * size);
  const order = new Int32Array(pairs * 2 * cols).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(i / cols);
    const c = i % cols;
    order[2 * p * cols + c] = i;
    order[(2 * p + 1) * cols + c] = n + i;
  }
  const rowTicks = Array.from({ length: 2 * pairs }, (_, r) => ({ index: r, label: r % 2 === 0 ? 'input' : 'recon.' }));
  return tilePlot({
    title: options.title ?? 'Inputs and reconstructions',
    xLabel: options.xLabel ?? `${n} examples: input x above its reconstruction x̂`,
    yLabel: options.yLabel ?? '',
    images: { n: 2 * n, h: inputs.h, w: inputs.w, grey },
    layout: { rows: 2 * pairs, cols, gap: options.gap ?? 2 },
    order,
    rowTicks,
    options,
  });
}
