import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { base64, encodeRgbaPng } from './png-data.js';

describe('encodeRgbaPng', () => {
  it('round-trips grey rasters through an independent decoder (fast-png) as grey + alpha', () => {
    const w = 5;
    const h = 3;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([i * 17, i * 17, i * 17, i % 4 === 0 ? 0 : 255], i * 4);
    const img = decode(encodeRgbaPng(rgba, w, h));
    expect([img.width, img.height, img.channels, img.depth]).toEqual([w, h, 2, 8]);
    for (let i = 0; i < w * h; i++)
      expect([img.data[2 * i], img.data[2 * i + 1]]).toEqual([rgba[4 * i], rgba[4 * i + 3]]);
  });

  it('keeps colour rasters as RGBA', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 128, 255, 200]);
    const img = decode(encodeRgbaPng(rgba, 2, 1));
    expect(img.channels).toBe(4);
    expect(Array.from(img.data)).toEqual(Array.from(rgba));
  });
});

describe('base64', () => {
  it('matches RFC 4648 test vectors', () => {
    const enc = (s: string) => base64(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
    // Larger than one 32 KiB chunk: decode back with atob.
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 255);
    const back = Uint8Array.from(atob(base64(big)), (c) => c.charCodeAt(0));
    expect(back).toEqual(big);
  });
});
