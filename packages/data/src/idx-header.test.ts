import { describe, expect, it } from 'vitest';
import type { IdxFormatError } from './errors.js';
import { writeIdx } from './idx.js';
import { parseIdxHeader } from './idx-header.js';

const fail = (bytes: Uint8Array, final: boolean): IdxFormatError => {
  try {
    parseIdxHeader(bytes, { fn: 'test', final });
  } catch (e) {
    return e as IdxFormatError;
  }
  throw new Error('expected an IdxFormatError');
};

describe('parseIdxHeader', () => {
  const bytes = writeIdx({ dtype: 'int32', shape: [2, 3], data: new Int32Array(6) });

  it('declares the whole length 4 + 4r + size · Π dims', () => {
    expect(parseIdxHeader(bytes, { fn: 'test', final: true })).toEqual({
      dtype: 'int32',
      shape: [2, 3],
      count: 6,
      headerLength: 4 + 4 * 2,
      byteLength: 4 + 4 * 2 + 4 * 6,
    });
  });

  it('asks for more bytes while streaming, and names a cut header when final', () => {
    for (let n = 0; n < 12; n++) {
      expect(parseIdxHeader(bytes.subarray(0, n), { fn: 'test', final: false })).toBeUndefined();
      const e = fail(bytes.subarray(0, n), true);
      expect([e.message.startsWith('Error in test: truncated header'), e.offset]).toEqual([true, n]);
    }
  });

  it('fails at the first wrong byte, before the header is complete', () => {
    expect(fail(new Uint8Array([1]), false).offset).toBe(0);
    expect(fail(new Uint8Array([0, 2]), false).offset).toBe(1);
    expect(fail(new Uint8Array([0, 0, 0x42]), false).offset).toBe(2);
    expect(fail(new Uint8Array([0, 0, 8, 17]), false).offset).toBe(3);
    // 2¹⁶ · 2¹⁶ = 2³² > 2³² − 1 once the second dimension (bytes 8..11) is in.
    expect(fail(new Uint8Array([0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0]), false).offset).toBe(8);
  });
});
