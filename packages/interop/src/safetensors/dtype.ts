/**
 * The safetensors dtypes Latentlab reads, their sizes, and their decoding to float32 / float64.
 *
 *     F32:  IEEE 754 binary32, read as is
 *     F64:  IEEE 754 binary64, rounded to the nearest float32 (and kept exact as float64 on request)
 *     F16:  IEEE 754 binary16: s·eeeee·mmmmmmmmmm → (−1)^s · 2^(e−15) · (1 + m/1024), subnormal
 *           (e = 0) (−1)^s · 2^−14 · m/1024, e = 31 → ±∞ or NaN; exactly representable in float32
 *     BF16: the upper 16 bits of a binary32 (bits << 16), exactly representable in float32
 *
 * All data is little-endian (the format's rule).
 */

/** A dtype Latentlab can read. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64';

/** Bytes per element of each readable dtype. */
export const DTYPE_SIZE: Readonly<Record<SafetensorsDtype, number>> = Object.freeze({
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
});

/** Whether `dtype` is one Latentlab reads. */
export function isKnownDtype(dtype: unknown): dtype is SafetensorsDtype {
  return typeof dtype === 'string' && Object.hasOwn(DTYPE_SIZE, dtype);
}

/**
 * The float32 value of an IEEE 754 binary16 bit pattern (see the module comment for the formula).
 * @example
 * halfToFloat(0x3c00); // 1
 * halfToFloat(0xc000); // −2
 */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

/**
 * Decodes `count` little-endian elements of `dtype` at `bytes` to float32 (F64 rounded to nearest).
 * @example
 * decodeToFloat32(new Uint8Array([0x00, 0x3c]), 'F16', 1); // Float32Array [1]
 */
export function decodeToFloat32(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16': {
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
    }
    case 'BF16': {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
  }
  return out;
}

/**
 * Decodes `count` little-endian elements to float64, exactly (every F32/F16/BF16 value is a float64 too).
 * @example
 * decodeToFloat64(new Uint8Array(new Float64Array([0.1]).buffer), 'F64', 1); // Float64Array [0.1]
 */
export function decodeToFloat64(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float64Array {
  if (dtype !== 'F64') return Float64Array.from(decodeToFloat32(bytes, dtype, count));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}
