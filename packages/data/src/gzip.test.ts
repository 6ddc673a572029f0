import { ValueError } from '@latentlab/core';
import { describe, expect, it } from 'vitest';
import { GzipError, IdxFormatError } from './errors.js';
import { gunzip, isGzip, readIdxFile } from './gzip.js';
import { writeIdx } from './idx.js';

/** Compresses with the platform's CompressionStream: an encoder independent of the code under test. */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('isGzip', () => {
  it('recognises the RFC 1952 magic bytes', async () => {
    expect(isGzip(await gzip(new Uint8Array([1, 2, 3])))).toBe(true);
    expect(isGzip(new Uint8Array([0, 0, 8, 1]))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array(0))).toBe(false);
  });
});

describe('gunzip', () => {
  it('inverts CompressionStream on data spanning many chunks', async () => {
    // 300 kB of a deterministic byte pattern (i·i mod 251 does not compress to nothing).
    const raw = Uint8Array.from({ length: 300_000 }, (_, i) => (i * i) % 251);
    const out = await gunzip(await gzip(raw));
    expect(out.length).toBe(raw.length);
    expect(out.findIndex((v, i) => v !== raw[i])).toBe(-1); // first mismatch (toEqual is slow on 300 k elements)
  });

  it('handles an empty payload', async () => {
    expect((await gunzip(await gzip(new Uint8Array(0)))).length).toBe(0);
  });

  it('rejects data without the magic bytes at offset 0', async () => {
    const e = await rejection(gunzip(new Uint8Array([0, 0, 8, 1]), { source: 'x.gz' }));
    expect(e).toBeInstanceOf(GzipError);
    expect((e as GzipError).offset).toBe(0);
    expect((e as GzipError).message).toContain('at byte 0 of x.gz');
    expect((e as GzipError).found).toBe('0x00 0x00');
  });

  it('rejects truncated and corrupt streams with GzipError', async () => {
    const gz = await gzip(Uint8Array.from({ length: 5000 }, (_, i) => i % 7));
    expect(await rejection(gunzip(gz.subarray(0, gz.length - 6)))).toBeInstanceOf(GzipError);
    expect(await rejection(gunzip(gz.subarray(0, 12)))).toBeInstanceOf(GzipError);
    const crc = gz.slice();
    crc[crc.length - 6]! ^= 0xff; // a CRC-32 byte of the trailer
    expect(await rejection(gunzip(crc))).toBeInstanceOf(GzipError);
    const body = gz.slice();
    body[10]! ^= 0x55; // the first deflate byte
    const e = await rejection(gunzip(body, { source: 'b.gz' }));
    expect(e).toBeInstanceOf(GzipError);
    expect((e as GzipError).source).toBe('b.gz');
  });
});

describe('readIdxFile', () => {
  it('reads plain and gzipped IDX alike', async () => {
    const array = { dtype: 'int16' as const, shape: [2, 3], data: new Int16Array([1, -2, 3, -4, 5, -6]) };
    const plain = writeIdx(array);
    for (const bytes of [plain, await gzip(plain)]) {
      const back = await readIdxFile(bytes);
      expect(back.shape).toEqual([2, 3]);
      expect(back.data).toEqual(array.data);
    }
  });

  it('reports IDX errors inside a gzip with decompressed offsets', async () => {
    const bytes = writeIdx({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) });
    const e = await rejection(readIdxFile(await gzip(bytes.subarray(0, 6)), { source: 'l.gz' }));
    expect(e).toBeInstanceOf(IdxFormatError);
    expect([(e as IdxFormatError).offset, (e as IdxFormatError).source]).toEqual([6, 'l.gz']);
  });

  it('refuses a header that declares more than maxBytes before decompressing the data', async () => {
    // uint8 [1000, 1000]: a file of 4 + 4·2 header bytes and 10⁶ data bytes.
    const bytes = writeIdx({ dtype: 'uint8', shape: [1000, 1000], data: new Uint8Array(1_000_000) });
    const e = await rejection(readIdxFile(await gzip(bytes), { maxBytes: 999_999, source: 'big.gz' }));
    expect(e).toBeInstanceOf(IdxFormatError);
    expect((e as IdxFormatError).offset).toBe(4);
    expect((e as IdxFormatError).found).toContain(`${4 + 4 * 2 + 1_000_000} bytes`);
    expect((await readIdxFile(await gzip(bytes), { maxBytes: bytes.length })).shape).toEqual([1000, 1000]);
  });

  it('stops at the first byte past the length a lying header declares', async () => {
    const honest = writeIdx({ dtype: 'uint8', shape: [10], data: Uint8Array.from({ length: 10 }, (_, i) => i) });
    const lying = new Uint8Array(honest.length + 100_000); // the same header, then far more data
    lying.set(honest);
    const e = await rejection(readIdxFile(await gzip(lying)));
    expect(e).toBeInstanceOf(IdxFormatError);
    expect((e as IdxFormatError).message).toContain('trailing bytes');
    expect((e as IdxFormatError).offset).toBe(honest.length);
  });

  it('decodes a header cut across decompressed chunks, and rejects bad maxBytes', async () => {
    // Rank 16 (the largest): a 68-byte header, then float64 data.
    const shape = new Array(16).fill(1);
    shape[0] = 3;
    const array = { dtype: 'float64' as const, shape, data: new Float64Array([0.5, -1, Math.PI]) };
    expect((await readIdxFile(await gzip(writeIdx(array)))).data).toEqual(array.data);
    for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
      expect(await rejection(readIdxFile(await gzip(writeIdx(array)), { maxBytes }))).toBeInstanceOf(ValueError);
    }
  });
});

describe('gunzip maxBytes', () => {
  it('refuses a trailer (ISIZE) above maxBytes with GzipError', async () => {
    const raw = new Uint8Array(100_000);
    const gz = await gzip(raw);
    const e = await rejection(gunzip(gz, { maxBytes: 99_999 }));
    expect(e).toBeInstanceOf(GzipError);
    expect((e as GzipError).found).toBe('100000 bytes declared by the gzip trailer (ISIZE)');
    expect((await gunzip(gz, { maxBytes: 100_000 })).length).toBe(100_000);
    // Output past maxBytes while streaming (a multi-member stream whose last ISIZE undercounts) is a Node-only
    // case of hostile-data-files.node.test.ts: Chromium's DecompressionStream reads one member only.
  });
});
