import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digitDataUri } from './digit-image.js';

/** The grey channel of a grey + alpha PNG (colour type 4, filter 0 on every row), read back with node:zlib. */
function decodeGreyPng(uri: string): { width: number; height: number; grey: number[]; alpha: number[] } {
  const prefix = 'data:image/png;base64,';
  expect(uri.startsWith(prefix)).toBe(true);
  const png = Buffer.from(uri.slice(prefix.length), 'base64');
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 4]); // 8 bits, grey + alpha
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const grey: number[] = [];
  const alpha: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 2 * width);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < width; x++) {
      grey.push(raw[row + 1 + 2 * x]!);
      alpha.push(raw[row + 2 + 2 * x]!);
    }
  }
  return { width, height, grey, alpha };
}

describe('digitDataUri', () => {
  it('encodes every pixel of a non-square image as an opaque grey level, row by row', () => {
    const [h, w] = [3, 5];
    const pixels = Uint8Array.from({ length: h * w }, (_, i) => (i * 53) % 256);
    const png = decodeGreyPng(digitDataUri(pixels, [h, w]));
    expect([png.width, png.height]).toEqual([w, h]);
    expect(png.grey).toEqual([...pixels]);
    expect(png.alpha).toEqual(new Array(h * w).fill(255));
  });

  it('refuses pixels that do not fill the shape', () => {
    expect(() => digitDataUri(new Uint8Array(783), [28, 28])).toThrow(/expected 784 pixels, found 783/);
  });
});
