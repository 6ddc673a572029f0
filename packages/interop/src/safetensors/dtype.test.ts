// F16, BF16 and F64 decoding against PyTorch's own conversions (fixtures/dtypes, made by
// scripts/make_dtype_fixture.py: every binary16 pattern, 4 101 bfloat16 patterns, 509 float64 values).
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixtures.js';
import { halfToFloat } from './dtype.js';
import { tensorToFloat64 } from './read.js';

/** Same value, bit for bit where it matters: ±0 distinguished, any NaN equal to any NaN. */
function sameFloats(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(a[i]!) ? Number.isNaN(b[i]!) : Object.is(a[i], b[i]);
    if (!ok) mismatches++;
  }
  return mismatches;
}

describe('safetensors dtypes', () => {
  it.each([
    ['f16', 'F16', 65536],
    ['bf16', 'BF16', 4101],
    ['f64', 'F64', 509],
  ])('%s decodes to the float32 values PyTorch computes', async (name, dtype, count) => {
    const file = await fixture('dtypes/dtypes.safetensors');
    const t = file.tensors.get(name)!;
    expect([t.dtype, t.values.length]).toEqual([dtype, count]);
    expect(sameFloats(t.values, file.tensors.get(`${name}_as_f32`)!.values)).toBe(0);
  });

  it('keeps F64 exact through tensorToFloat64 and widens the others exactly', async () => {
    const file = await fixture('dtypes/dtypes.safetensors');
    const f64 = file.tensors.get('f64')!;
    const exact = tensorToFloat64(f64);
    const view = new DataView(f64.bytes.buffer, f64.bytes.byteOffset, f64.bytes.byteLength);
    for (let i = 0; i < exact.length; i++) expect(Object.is(exact[i], view.getFloat64(8 * i, true))).toBe(true);
    expect(exact).toContain(0.1); // not representable in float32: only the float64 path keeps it
    const f16 = file.tensors.get('f16')!;
    expect(Array.from(tensorToFloat64(f16)).every((v, i) => Object.is(v, f16.values[i]) || Number.isNaN(v))).toBe(true);
  });

  it('halfToFloat follows the IEEE 754 binary16 formula', () => {
    // (−1)^s · 2^(e−15) · (1 + m/1024); subnormal 2^−14 · m/1024; e = 31: ±∞ / NaN.
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});
