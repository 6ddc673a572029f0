// Seeded fuzzing: mutations of a valid file (bytes of the header and its length, truncation, appended bytes,
// and JSON-level edits of dtypes, shapes and offsets). Every outcome is either a file whose tensors are
// consistent with their shapes, or a SafetensorsFormatError; nothing else is thrown.
import { createRng, type Rng } from '@latentlab/core';
import { describe, expect, it } from 'vitest';
import { SafetensorsFormatError } from '../errors.js';
import { rawFile } from '../testing/raw-file.js';
import { DTYPE_SIZE } from './dtype.js';
import { readSafetensors } from './read.js';
import { writeSafetensors } from './write.js';

const valid = writeSafetensors(
  {
    'encoder.0.weight': { shape: [3, 4], values: Float32Array.from({ length: 12 }, (_, i) => i - 5.5) },
    'encoder.0.bias': { shape: [3], values: [1, 2, 3] },
    'decoder.log_c': { shape: [], values: [-1.5] },
    pca: { shape: [2], values: [0.1, 0.2], dtype: 'F64' },
  },
  { format: 'pt', latentlab: '{"kind":"vae"}' },
);
const headerLength = Number(new DataView(valid.buffer).getBigUint64(0, true));
const header = JSON.parse(new TextDecoder().decode(valid.subarray(8, 8 + headerLength)));
const data = valid.subarray(8 + headerLength);

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.nextFloat() * items.length)]!;
const int = (rng: Rng, n: number) => Math.floor(rng.nextFloat() * n);
const WILD = [
  -1,
  0,
  1,
  3,
  4,
  7,
  8,
  12,
  48,
  2 ** 31,
  2 ** 32 + 4,
  2 ** 53,
  2 ** 53 - 1,
  1e300,
  0.5,
  -0,
  'F32',
  '4',
  null,
  [],
  [1, 2],
  {},
  true,
];
const DTYPES = ['F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'BOOL', 'f32', '', 'F32 '];

function mutateBytes(rng: Rng): Uint8Array {
  const bytes = valid.slice();
  switch (int(rng, 4)) {
    case 0: // flip bytes of the header (and its length)
      for (let i = 0, n = 1 + int(rng, 4); i < n; i++) bytes[int(rng, 8 + headerLength)] = int(rng, 256);
      return bytes;
    case 1: // a random header length, small or huge
      new DataView(bytes.buffer).setBigUint64(
        0,
        rng.nextFloat() < 0.5 ? BigInt(int(rng, 400)) : BigInt(int(rng, 2 ** 30)) ** 2n,
        true,
      );
      return bytes;
    case 2: // truncated
      return bytes.subarray(0, int(rng, bytes.byteLength));
    default: {
      // appended bytes
      const longer = new Uint8Array(bytes.byteLength + 1 + int(rng, 16));
      longer.set(bytes);
      return longer;
    }
  }
}

function mutateJson(rng: Rng): Uint8Array {
  const h = structuredClone(header);
  const names = Object.keys(h).filter((n) => n !== '__metadata__');
  for (let i = 0, n = 1 + int(rng, 3); i < n; i++) {
    const e = h[pick(rng, names)];
    switch (int(rng, 6)) {
      case 0:
        e.dtype = pick(rng, DTYPES);
        break;
      case 1:
        e.shape =
          rng.nextFloat() < 0.5 || !Array.isArray(e.shape)
            ? pick(rng, WILD)
            : e.shape.map((s: number) => (rng.nextFloat() < 0.5 ? pick(rng, WILD) : s));
        break;
      case 2:
        if (Array.isArray(e.data_offsets)) e.data_offsets[int(rng, 2)] = pick(rng, WILD);
        break;
      case 3:
        e.data_offsets = pick(rng, WILD);
        break;
      case 4:
        h.__metadata__ = pick(rng, [{ a: 1 }, 'x', null, { a: 'b' }, [1], { format: 'pt' }]);
        break;
      default:
        h[`extra${i}`] = { dtype: pick(rng, DTYPES), shape: [int(rng, 3)], data_offsets: [int(rng, 64), int(rng, 64)] };
    }
  }
  return rawFile(h, rng.nextFloat() < 0.8 ? data : data.subarray(0, int(rng, data.byteLength)));
}

describe('readSafetensors under fuzzing', () => {
  it('returns a consistent file or throws SafetensorsFormatError for 3000 seeded mutations', () => {
    const rng = createRng(13);
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 === 0 ? mutateBytes(rng) : mutateJson(rng);
      try {
        const file = readSafetensors(bytes);
        for (const t of file.tensors.values()) {
          expect(t.values.length).toBe(t.shape.reduce((a, b) => a * b, 1));
          expect(t.bytes.byteLength).toBe(t.values.length * DTYPE_SIZE[t.dtype]);
        }
        outcomes.ok++;
      } catch (error) {
        if (!(error instanceof SafetensorsFormatError)) throw new Error(`mutation ${i}: ${String(error)}`);
        outcomes.refused++;
      }
    }
    // Both outcomes occur (a fuzzer that only ever breaks, or never does, tests nothing).
    expect(outcomes.refused).toBeGreaterThan(1000);
    expect(outcomes.ok).toBeGreaterThan(10);
  });
});
