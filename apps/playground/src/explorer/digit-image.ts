import { composeTiles, rgbaDataUri, storedDeflate } from '@latentlab/viz';

/**
 * A grey-level image (one byte per pixel, row-major, `shape` = [height, width]) as a `data:` URL of a PNG: pixel v
 * becomes (v, v, v) and opaque, so the browser decodes one small image per digit instead of the page laying out a
 * node per pixel. Stored, not compressed: a hover makes ten of these at once, and compressing them (fflate level 6)
 * was itself a main-thread task of 60–70 ms in Chromium before its code warmed up.
 *
 * @example
 * digitDataUri(new Uint8Array(784), [28, 28]); // 'data:image/png;base64,iVBORw0KGgo…', a black 28 × 28 image
 */
export function digitDataUri(pixels: Uint8Array, shape: [number, number]): string {
  const [h, w] = shape;
  if (pixels.length !== h * w) throw new RangeError(`digitDataUri: expected ${h * w} pixels, found ${pixels.length}`);
  // One tile of viz's raster layout: grey g ↦ (g, g, g, 255), the bytes viewed in place.
  const grey = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.length);
  const rgba = composeTiles({ n: 1, h, w, grey }, { rows: 1, cols: 1, gap: 0 });
  return rgbaDataUri(rgba, w, h, storedDeflate);
}
