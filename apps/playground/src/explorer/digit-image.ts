import { rgbaDataUri, storedDeflate } from '@latentlab/viz';

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
  const rgba = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    const v = pixels[i]!;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgbaDataUri(rgba, w, h, storedDeflate);
}
