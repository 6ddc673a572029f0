import { describe, expect, it } from 'vitest';
import { SafetensorsFormatError } from '../errors.js';
import { rawFile } from '../testing/raw-file.js';
import { MAX_HEADER_BYTES } from './header.js';
import { readSafetensors } from './read.js';
import { writeSafetensors } from './write.js';

const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });

describe('writeSafetensors → readSafetensors', () => {
  it('round-trips F32, F64, scalars, empty tensors and metadata; header padded to 8 bytes, names sorted', () => {
    const bytes = writeSafetensors(
      {
        'b.weight': { shape: [2, 3], values: Float32Array.from([1, -2, 0.5, -0, 1e-30, 3.4e38]) },
        'a.scalar': { shape: [], values: [7.25] },
        empty: { shape: [0, 4], values: new Float32Array(0) },
        exact: { shape: [2], values: Float64Array.from([0.1, 1 / 3]), dtype: 'F64' },
      },
      { format: 'pt', note: 'ünïcode' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(['__metadata__', 'a.scalar', 'b.weight', 'empty', 'exact']);
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect(file.tensors.get('b.weight')!.values).toEqual(Float32Array.from([1, -2, 0.5, -0, 1e-30, 3.4e38]));
    expect(Object.is(file.tensors.get('b.weight')!.values[3], -0)).toBe(true);
    expect(file.tensors.get('a.scalar')).toMatchObject({ shape: [], dtype: 'F32' });
    expect(Array.from(file.tensors.get('a.scalar')!.values)).toEqual([7.25]);
    expect(file.tensors.get('empty')!.shape).toEqual([0, 4]);
    expect(file.tensors.get('exact')!.dtype).toBe('F64');
    expect(Array.from(file.tensors.get('exact')!.values)).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
  });
});

/** Expects a SafetensorsFormatError naming `tensor` whose message contains `fragment`. */
function expectFormatError(bytes: Uint8Array, tensor: string, fragment: string) {
  let error: unknown;
  try {
    readSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SafetensorsFormatError);
  expect((error as SafetensorsFormatError).tensor).toBe(tensor);
  expect((error as Error).message).toContain(fragment);
}

describe('readSafetensors refuses malformed files with a SafetensorsFormatError naming the tensor', () => {
  const ok = (shape: number[], begin = 0) => entry('F32', shape, [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)]);
  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(5), 'header', 'shorter than its 8-byte header length'],
    ['a header length of 1', rawFile('{', 0), 'header', 'N = 1'],
    ['a header length of 2^40', rawFile({}, 0, 2n ** 40n), 'header', `N ≤ ${MAX_HEADER_BYTES}`],
    ['a header length of 2^64 − 1', rawFile({}, 0, 2n ** 64n - 1n), 'header', 'out of bounds'],
    ['a header past the end', rawFile({}, 0, 500), 'header', 'past the end of the file'],
    [
      'a header that is not UTF-8',
      rawFile(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 0),
      'header',
      'not UTF-8',
    ],
    ['a JSON array', rawFile('[1, 2]', 0), 'header', 'not a JSON object'],
    ['invalid JSON', rawFile('{"a": ', 0), 'header', 'not valid JSON'],
    ['JSON null', rawFile('null', 0), 'header', 'not a JSON object'],
    ['an unknown dtype', rawFile({ w: entry('I64', [1], [0, 8]) }, 8), 'w', 'unknown or unsupported dtype'],
    ['a dtype that is not a string', rawFile({ w: entry(4 as unknown as string, [1], [0, 4]) }, 4), 'w', 'dtype'],
    ['a negative dimension', rawFile({ w: entry('F32', [-1, 2], [0, 8]) }, 8), 'w', 'non-negative integers'],
    ['a fractional dimension', rawFile({ w: entry('F32', [1.5], [0, 6]) }, 6), 'w', 'non-negative integers'],
    ['a shape that is a string', rawFile({ w: entry('F32', '[2]', [0, 8]) }, 8), 'w', 'non-negative integers'],
    ['a shape overflowing 2^53', rawFile({ w: entry('F32', [2 ** 30, 2 ** 30], [0, 8]) }, 8), 'w', 'too large'],
    ['bytes that differ from shape × size', rawFile({ w: entry('F32', [3], [0, 8]) }, 8), 'w', 'byte length differs'],
    ['F16 sizes taken as F32', rawFile({ w: entry('F16', [4], [0, 16]) }, 16), 'w', '4 × 2 = 8 bytes'],
    ['begin after end', rawFile({ w: entry('F32', [0], [8, 4]) }, 8), 'w', 'data_offsets'],
    ['offsets of three numbers', rawFile({ w: entry('F32', [1], [0, 4, 8]) }, 8), 'w', 'data_offsets'],
    ['no offsets', rawFile({ w: { dtype: 'F32', shape: [1] } }, 4), 'w', 'data_offsets'],
    ['an entry that is not an object', rawFile({ w: [1, 2] }, 0), 'w', 'not an object'],
    ['overlapping tensors', rawFile({ a: ok([2]), b: ok([2], 4) }, 12), 'b', 'overlap'],
    ['a gap between tensors', rawFile({ a: ok([1]), b: ok([1], 8) }, 12), 'b', 'gap'],
    ['a first tensor not at 0', rawFile({ a: ok([1], 4) }, 8), 'a', 'gap'],
    ['a data section longer than its tensors', rawFile({ a: ok([1]) }, 12), 'a', 'longer than its tensors'],
    ['tensors past the end of the file', rawFile({ a: ok([4]) }, 8), 'a', 'past the end of the file'],
    ['offsets at 2^53', rawFile({ a: entry('F32', [1], [2 ** 53, 2 ** 53 + 4]) }, 4), 'a', 'data_offsets'],
    ['metadata that is not an object', rawFile({ __metadata__: 'x' }, 0), '__metadata__', 'not an object'],
    ['a metadata number', rawFile({ __metadata__: { n: 3 } }, 0), '__metadata__', "'n' is not a string"],
  ])('%s', (_, bytes, tensor, fragment) => expectFormatError(bytes, tensor, fragment));
});
