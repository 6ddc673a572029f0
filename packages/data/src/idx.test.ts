import { ShapeError, ValueError } from '@latentlab/core';
import { describe, expect, it } from 'vitest';
import { IdxFormatError } from './errors.js';
import { IDX_MAX_RANK, type IdxArray, readIdx, writeIdx } from './idx.js';

/** IDX bytes built by hand from the format description (independent of writeIdx). */
function header(code: number, dims: number[], dataBytes: number[] = []): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + dataBytes.length);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(dataBytes, 4 + 4 * dims.length);
  return out;
}

function idxError(f: () => unknown): IdxFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IdxFormatError);
    return e as IdxFormatError;
  }
  throw new Error('expected an IdxFormatError');
}

describe('readIdx', () => {
  it('decodes uint8 as a zero-copy view', () => {
    const bytes = header(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
    const a = readIdx(bytes);
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.data.buffer).toBe(bytes.buffer);
    bytes[12] = 99; // first data byte: 4 + 4·2 header bytes
    expect(a.data[0]).toBe(99);
  });

  it('decodes int8 two’s complement as a view', () => {
    const bytes = header(0x09, [3], [0x00, 0x7f, 0xff]);
    const a = readIdx(bytes);
    expect(a.dtype).toBe('int8');
    expect(Array.from(a.data)).toEqual([0, 127, -1]);
    expect(a.data.buffer).toBe(bytes.buffer);
  });

  it('converts multi-byte types from big-endian', () => {
    // Big-endian encodings written out: int16 −2 = 0xfffe; int32 258 = 0x00000102; float32 1.5 = 0x3fc00000;
    // float64 −2 = 0xc000000000000000 (IEEE 754 sign | exponent | fraction).
    expect(Array.from(readIdx(header(0x0b, [2], [0xff, 0xfe, 0x01, 0x00])).data)).toEqual([-2, 256]);
    expect(Array.from(readIdx(header(0x0c, [1], [0, 0, 1, 2])).data)).toEqual([258]);
    expect(Array.from(readIdx(header(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(readIdx(header(0x0e, [1], [0xc0, 0, 0, 0, 0, 0, 0, 0])).data)).toEqual([-2]);
  });

  it('reads from a view with a non-zero byteOffset', () => {
    const inner = header(0x0b, [1, 2], [0, 5, 0x80, 0]);
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    const a = readIdx(outer.subarray(3));
    expect(a.shape).toEqual([1, 2]);
    expect(Array.from(a.data)).toEqual([5, -32768]);
  });

  it('accepts zero-sized dimensions', () => {
    const a = readIdx(header(0x08, [0, 28, 28]));
    expect(a.shape).toEqual([0, 28, 28]);
    expect(a.data.length).toBe(0);
  });

  it('rejects malformed headers with the offset of the problem', () => {
    const short = idxError(() => readIdx(new Uint8Array([0, 0, 8])));
    expect([short.offset, short.found]).toEqual([3, '3 bytes']);
    const magic = idxError(() => readIdx(new Uint8Array([0, 1, 8, 1, 0, 0, 0, 0])));
    expect([magic.offset, magic.found]).toEqual([1, '0x00 0x01']);
    expect(idxError(() => readIdx(header(0x0a, [1], [0]))).offset).toBe(2);
    expect(idxError(() => readIdx(header(0x08, []))).offset).toBe(3);
    const big = header(0x08, [1]);
    big[3] = IDX_MAX_RANK + 1;
    expect(idxError(() => readIdx(big)).offset).toBe(3);
    const cut = idxError(() => readIdx(header(0x08, [1, 1, 1]).subarray(0, 10)));
    expect([cut.offset, cut.expected]).toEqual([10, '16 header bytes for rank 3']);
  });

  it('rejects data shorter or longer than the dims say', () => {
    const truncated = idxError(() => readIdx(header(0x0c, [2, 2], new Array(15).fill(0)), { source: 'a.idx' }));
    // 4 + 4·2 header bytes + 4 elements × 4 bytes.
    expect(truncated.expected).toContain(`${4 + 8 + 16} bytes`);
    expect([truncated.offset, truncated.source]).toEqual([4 + 8 + 15, 'a.idx']);
    expect(truncated.message).toMatch(/truncated data at byte 27 of a\.idx/);
    const trailing = idxError(() => readIdx(header(0x08, [2], [1, 2, 3])));
    expect(trailing.offset).toBe(4 + 4 + 2);
    expect(trailing.message).toContain('trailing bytes');
  });

  it('rejects dims whose product overflows, without allocating', () => {
    const e = idxError(() => readIdx(header(0x0e, [0x10000, 0x10000, 2])));
    expect(e.offset).toBe(4 + 4); // the second dim pushes the product past 2^32 − 1
    expect(e.message).toContain('dimensions overflow');
    // Huge but representable: a truncation, not a RangeError.
    expect(idxError(() => readIdx(header(0x0e, [0xffffffff]))).message).toContain('truncated data');
  });
});

describe('writeIdx', () => {
  const cases: IdxArray[] = [
    { dtype: 'uint8', shape: [2, 2], data: new Uint8Array([0, 1, 254, 255]) },
    { dtype: 'int8', shape: [3], data: new Int8Array([-128, 0, 127]) },
    { dtype: 'int16', shape: [1, 3], data: new Int16Array([-32768, 1, 32767]) },
    { dtype: 'int32', shape: [2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
    { dtype: 'float32', shape: [2, 1, 2], data: new Float32Array([Math.PI, -0, 1e-40, Number.NEGATIVE_INFINITY]) },
    { dtype: 'float64', shape: [3], data: new Float64Array([Math.E, Number.NaN, -1e300]) },
  ];

  it.each(cases)('round-trips $dtype through readIdx', (a) => {
    const bytes = writeIdx(a);
    const size = a.data.BYTES_PER_ELEMENT;
    expect(bytes.length).toBe(4 + 4 * a.shape.length + size * a.data.length);
    const back = readIdx(bytes);
    expect(back.dtype).toBe(a.dtype);
    expect(back.shape).toEqual(a.shape);
    expect(back.data).toEqual(a.data);
    // Bit-exact: the first element's bytes are the big-endian form of the typed array's own bytes.
    const view = new DataView(bytes.buffer);
    const first = new Uint8Array(a.data.buffer, 0, size);
    const be = Array.from({ length: size }, (_, j) => view.getUint8(4 + 4 * a.shape.length + j));
    const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    expect(be).toEqual(hostLittle ? Array.from(first).reverse() : Array.from(first));
  });

  it('writes the header the format describes', () => {
    expect(Array.from(writeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([3, 7]) }))).toEqual([
      0, 0, 8, 1, 0, 0, 0, 2, 3, 7,
    ]);
  });

  it('rejects arrays it cannot write', () => {
    expect(() => writeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(2) })).toThrow(ShapeError);
    expect(() => writeIdx({ dtype: 'uint8', shape: [], data: new Uint8Array(1) })).toThrow(ShapeError);
    expect(() => writeIdx({ dtype: 'uint8', shape: [0.5], data: new Uint8Array(0) })).toThrow(ShapeError);
    expect(() => writeIdx({ dtype: 'uint8', shape: [1], data: new Int8Array(1) } as unknown as IdxArray)).toThrow(
      ValueError,
    );
    expect(() => writeIdx({ dtype: 'int64', shape: [1], data: new Uint8Array(1) } as unknown as IdxArray)).toThrow(
      /unknown dtype/,
    );
  });
});
