import { seededRandom as mulberry32 } from '@latentlab/core/testing';
// Seeded fuzzing of the IDX reader: thousands of valid files, mutated (bit flips, truncations, extensions,
// header field changes, splices, random bytes). Each mutant must either parse — and then be exactly what
// writeIdx writes for the parsed array — or raise IdxFormatError (GzipError for gzip) with a valid offset.
// Any other exception (RangeError, TypeError, …) fails the test.
import { describe, expect, it } from 'vitest';
import { GzipError, IdxFormatError } from './errors.js';
import { readIdxFile } from './gzip.js';
import { IDX_DTYPE_CODES, type IdxArray, type IdxDtype, readIdx, writeIdx } from './idx.js';

const DTYPES = Object.keys(IDX_DTYPE_CODES) as IdxDtype[];
const CTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

function randomArray(rand: () => number): IdxArray {
  const int = (n: number) => Math.floor(rand() * n);
  const dtype = DTYPES[int(DTYPES.length)]!;
  const shape = Array.from({ length: 1 + int(4) }, () => int(5));
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new CTORS[dtype](count);
  // Random bytes, so floats include NaN payloads, infinities and subnormals.
  const raw = new Uint8Array(data.buffer);
  for (let i = 0; i < raw.length; i++) raw[i] = int(256);
  return { dtype, shape, data } as IdxArray;
}

function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n);
  const m = bytes.slice();
  const view = new DataView(m.buffer);
  switch (int(7)) {
    case 0: {
      for (let k = 1 + int(4); k > 0; k--) {
        const i = int(m.length);
        m[i]! ^= 1 << int(8);
      }
      return m;
    }
    case 1:
      return m.slice(0, int(m.length));
    case 2: {
      const out = new Uint8Array(m.length + 1 + int(8));
      out.set(m);
      for (let i = m.length; i < out.length; i++) out[i] = int(256);
      return out;
    }
    case 3: {
      m[2 + int(2)] = int(256); // dtype or rank byte
      return m;
    }
    case 4: {
      const rank = m[3]!;
      const i = int(rank);
      const edge = [0, 1, 0xffffffff, 0x80000000, 0x10000, view.getUint32(4 + 4 * i) + (rand() < 0.5 ? 1 : -1)];
      view.setUint32(4 + 4 * i, (edge[int(edge.length)]! >>> 0) as number);
      return m;
    }
    case 5: {
      const at = int(m.length);
      return new Uint8Array([...m.subarray(0, at), ...m.subarray(at + 1 + int(4))]);
    }
    default:
      return Uint8Array.from({ length: int(40) }, () => int(256));
  }
}

describe('readIdx fuzz', () => {
  it('parses or raises IdxFormatError on 6000 mutated files, never anything else', () => {
    const rand = mulberry32(0x1d8);
    const outcome = { parsed: 0, rejected: 0 };
    for (let iter = 0; iter < 6000; iter++) {
      const original = randomArray(rand);
      const bytes = writeIdx(original);
      const back = readIdx(bytes);
      expect(back.shape).toEqual(original.shape);
      expect(writeIdx(back)).toEqual(bytes);
      const m = mutate(bytes, rand);
      let parsed: IdxArray;
      try {
        parsed = readIdx(m);
      } catch (e) {
        if (!(e instanceof IdxFormatError)) throw new Error(`iteration ${iter}: unexpected ${String(e)}`);
        expect(Number.isInteger(e.offset) && e.offset! >= 0 && e.offset! <= m.length).toBe(true);
        outcome.rejected++;
        continue;
      }
      outcome.parsed++;
      expect(parsed.data.length).toBe(parsed.shape.reduce((a, b) => a * b, 1));
      // A successful parse consumed every byte, so writing it back must reproduce the mutant exactly.
      expect(writeIdx(parsed)).toEqual(m);
    }
    // Both outcomes are exercised (bit flips in the data parse; header damage is rejected).
    expect(outcome.parsed).toBeGreaterThan(500);
    expect(outcome.rejected).toBeGreaterThan(2000);
  });

  it('decodes or rejects 300 corrupted gzipped files with GzipError or IdxFormatError', async () => {
    const rand = mulberry32(0x9a1);
    let rejected = 0;
    for (let iter = 0; iter < 300; iter++) {
      const bytes = writeIdx(randomArray(rand));
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
      const gz = new Uint8Array(await new Response(stream).arrayBuffer());
      const m = mutate(gz, rand);
      try {
        const parsed = await readIdxFile(m);
        expect(writeIdx(parsed).length).toBeGreaterThan(0);
      } catch (e) {
        if (!(e instanceof GzipError || e instanceof IdxFormatError)) {
          throw new Error(`iteration ${iter}: unexpected ${String(e)}`);
        }
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(150);
  });
});
