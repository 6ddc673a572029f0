import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

/** The definition, one bit at a time: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF. */
function crc32Bitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it("gives the catalogue check value of CRC-32/ISO-HDLC: crc32('123456789') = 0xCBF43926, and 0 for no bytes", () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals the bit-by-bit definition for every length 0–67 and every offset of a view (all tails of slicing by 4)', () => {
    let seed = 12345;
    const bytes = new Uint8Array(4096 + 3).map(() => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    });
    for (let n = 0; n < 68; n++)
      expect(crc32(bytes.subarray(0, n)), `length ${n}`).toBe(crc32Bitwise(bytes.subarray(0, n)));
    for (let offset = 0; offset < 4; offset++) {
      const view = bytes.subarray(offset, offset + 4096);
      expect(crc32(view), `offset ${offset}`).toBe(crc32Bitwise(view));
    }
  });

  it('changes when any single bit of the data flips', () => {
    const bytes = new Uint8Array(64).map((_, i) => i * 37);
    const sum = crc32(bytes);
    for (let bit = 0; bit < 64 * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(crc32(flipped)).not.toBe(sum);
    }
  });
});
