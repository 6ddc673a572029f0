import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { base64, encodeRgbaPng, rgbaDataUri, storedDeflate } from './png-data.js';

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

/**
 * Reads a zlib stream made only of stored blocks (RFC 1950 header and Adler-32, RFC 1951 §3.2.4 blocks: a byte
 * with BFINAL and BTYPE 00, LEN and its complement NLEN little-endian, LEN bytes), failing on anything else.
 */
function readStoredZlib(z: Uint8Array): Uint8Array {
  expect(((z[0]! << 8) | z[1]!) % 31).toBe(0); // the header's check bits
  expect(z[0]! & 0x0f).toBe(8); // CM = deflate
  const out: number[] = [];
  let at = 2;
  for (let final = 0; !final; ) {
    final = z[at]! & 1;
    expect((z[at]! >> 1) & 3).toBe(0); // BTYPE 00: stored
    const len = z[at + 1]! | (z[at + 2]! << 8);
    expect(z[at + 3]! | (z[at + 4]! << 8)).toBe(len ^ 0xffff);
    out.push(...z.subarray(at + 5, at + 5 + len));
    at += 5 + len;
  }
  let [a, b] = [1, 0];
  for (const byte of out) [a, b] = [(a + byte) % 65521, (b + ((a + byte) % 65521)) % 65521];
  const adler = ((z[at]! << 24) | (z[at + 1]! << 16) | (z[at + 2]! << 8) | z[at + 3]!) >>> 0;
  expect(adler).toBe(((b << 16) | a) >>> 0);
  expect(at + 4).toBe(z.length);
  return Uint8Array.from(out);
}

describe('storedDeflate', () => {
  it('is a zlib stream of stored blocks that reads back to its input', () => {
    // More than one stored block's 65 535 bytes.
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131) & 255);
    expect(readStoredZlib(storedDeflate(data))).toEqual(data);
    expect(readStoredZlib(storedDeflate(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });
});

describe('rgbaDataUri', () => {
  it('is a PNG data URL that an independent decoder (fast-png) reads back, compressed or stored', () => {
    const [w, h] = [4, 3];
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([i * 20, 255 - i * 20, 7, 255], i * 4);
    for (const uri of [rgbaDataUri(rgba, w, h), rgbaDataUri(rgba, w, h, storedDeflate)]) {
      const prefix = 'data:image/png;base64,';
      expect(uri.startsWith(prefix)).toBe(true);
      const img = decode(Uint8Array.from(atob(uri.slice(prefix.length)), (c) => c.charCodeAt(0)));
      expect([img.width, img.height, img.channels]).toEqual([w, h, 4]);
      expect(Array.from(img.data)).toEqual(Array.from(rgba));
    }
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
