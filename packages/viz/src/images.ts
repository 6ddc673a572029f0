import { VizEmptyError, VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';

/** Grey images: a flat `[n, h, w]` array, or one `[h, w]` array per image; values in [0, 1] or [0, 255]. */
export type ImagesInput = Float32Array | Float64Array | Uint8Array | Uint8ClampedArray | number[] | ArrayLike<number>[];

/** `'auto'`: Uint8 arrays are [0, 255]; otherwise [0, 1] unless some value exceeds 1. */
export type PixelRange = 'auto' | 'unit' | 'byte';

/** Images read into bytes: `grey[i·h·w + r·w + c]` in 0..255. */
export interface GreyImages {
  n: number;
  h: number;
  w: number;
  grey: Uint8ClampedArray;
}

/**
 * Reads grey images of `shape = [h, w]`, checks sizes and values, and scales them to bytes
 * (v ↦ round(255·v) for [0, 1] data). Wrong sizes throw `VizShapeError`, NaN pixels `VizNonFiniteError`,
 * values outside the range `VizValueError`, no images `VizEmptyError`.
 */
export function readImages(
  fn: string,
  images: ImagesInput,
  shape: [number, number],
  range: PixelRange = 'auto',
): GreyImages {
  const [h, w] = shape;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new VizValueError(fn, 'image shape', '[h, w] with positive integers', `[${h}, ${w}]`);
  }
  const size = h * w;
  let flat: ArrayLike<number>;
  let n: number;
  const rows = Array.isArray(images) && images.length > 0 && typeof images[0] !== 'number';
  if (rows) {
    const list = images as ArrayLike<number>[];
    n = list.length;
    const all = new Float64Array(n * size);
    list.forEach((img, i) => {
      if (img.length !== size) {
        throw new VizShapeError(fn, `image ${i} has the wrong size`, `${h} × ${w} = ${size} pixels`, `${img.length}`);
      }
      for (let k = 0; k < size; k++) all[i * size + k] = img[k]!;
    });
    flat = all;
  } else {
    flat = images as ArrayLike<number>;
    if (flat.length % size !== 0) {
      throw new VizShapeError(
        fn,
        'image data length is not n × h × w',
        `a multiple of ${h} × ${w} = ${size}`,
        `${flat.length}`,
      );
    }
    n = flat.length / size;
  }
  if (n === 0) throw new VizEmptyError(fn, 'no images', 'at least 1 image', '0');
  let max = 0;
  let min = 0;
  for (let k = 0; k < flat.length; k++) {
    const v = flat[k]!;
    if (!Number.isFinite(v)) {
      throw new VizNonFiniteError(
        fn,
        `image ${Math.floor(k / size)} has a non-finite pixel`,
        'finite values',
        `${v} at pixel ${k % size}`,
      );
    }
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const isBytes = images instanceof Uint8Array || images instanceof Uint8ClampedArray;
  const mode = range === 'auto' ? (isBytes || max > 1 + 1e-6 ? 'byte' : 'unit') : range;
  const top = mode === 'unit' ? 1 : 255;
  const tol = mode === 'unit' ? 1e-6 : 1e-3;
  if (min < -tol || max > top + tol) {
    throw new VizValueError(
      fn,
      'pixel values out of range',
      mode === 'unit' ? '[0, 1]' : '[0, 255]',
      `[${min}, ${max}]`,
    );
  }
  const grey = new Uint8ClampedArray(flat.length);
  const k255 = mode === 'unit' ? 255 : 1;
  for (let k = 0; k < flat.length; k++) grey[k] = Math.round(flat[k]! * k255);
  return { n, h, w, grey };
}

/** Layout of image tiles in a raster. */
export interface TileLayout {
  rows: number;
  cols: number;
  /** Gap between tiles, in image pixels. */
  gap: number;
}

/**
 * Composes tiles into one RGBA raster of (cols·w + (cols−1)·gap) × (rows·h + (rows−1)·gap) pixels: tile t goes to
 * row ⌊t / cols⌋, column t mod cols, grey g ↦ (g, g, g, 255); gaps are transparent so the plot background shows.
 * `order[t]` picks the image for tile t (−1 leaves the cell empty, drawn light grey).
 */
export function composeTiles(images: GreyImages, layout: TileLayout, order?: ArrayLike<number>): Uint8ClampedArray {
  const { h, w, grey } = images;
  const { rows, cols, gap } = layout;
  const W = cols * w + (cols - 1) * gap;
  const H = rows * h + (rows - 1) * gap;
  const rgba = new Uint8ClampedArray(W * H * 4);
  const tiles = rows * cols;
  for (let t = 0; t < tiles; t++) {
    const img = order ? order[t]! : t < images.n ? t : -1;
    const x0 = (t % cols) * (w + gap);
    const y0 = Math.floor(t / cols) * (h + gap);
    for (let r = 0; r < h; r++) {
      let o = ((y0 + r) * W + x0) * 4;
      const src = img * h * w + r * w;
      for (let c = 0; c < w; c++, o += 4) {
        const g = img >= 0 ? grey[src + c]! : 235;
        rgba[o] = g;
        rgba[o + 1] = g;
        rgba[o + 2] = g;
        rgba[o + 3] = 255;
      }
    }
  }
  return rgba;
}
