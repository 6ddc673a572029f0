import { decodeToFloat32, decodeToFloat64, type SafetensorsDtype } from './dtype.js';
import { type HeaderOptions, parseHeader, readHeaderLength, type SafetensorsHeader } from './header.js';

/** One tensor of a safetensors file, decoded to float32 (its own dtype and raw bytes kept). */
export interface SafetensorsTensor {
  name: string;
  /** The dtype stored in the file; {@link values} is float32 whatever it is. */
  dtype: SafetensorsDtype;
  shape: number[];
  /** The elements in row-major order, converted to float32 (F64 rounded to nearest; F16, BF16 exact). */
  values: Float32Array;
  /** The raw little-endian bytes of the tensor (a view into the file's data section). */
  bytes: Uint8Array;
}

/** A read safetensors file: tensors by name (in offset order) and the `__metadata__` strings (null when absent). */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string> | null;
}

/**
 * The exact float64 values of a tensor (F64 as stored; F32, F16 and BF16 widen exactly), e.g. for PCA,
 * whose parameters Latentlab keeps in float64.
 * @example
 * const file = readSafetensors(writeSafetensors({ mean: { shape: [1], values: [0.1], dtype: 'F64' } }));
 * const mean = tensorToFloat64(file.tensors.get('mean')!); // Float64Array [0.1]
 */
export function tensorToFloat64(tensor: SafetensorsTensor): Float64Array {
  return decodeToFloat64(tensor.bytes, tensor.dtype, tensor.values.length);
}

/** Decodes the checked header's tensors from the data section `data` (its bytes [0, dataLength)). */
export function decodeTensors(header: SafetensorsHeader, data: Uint8Array): SafetensorsFile {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of header.entries) {
    const bytes = data.subarray(e.begin, e.end);
    tensors.set(e.name, {
      name: e.name,
      dtype: e.dtype,
      shape: e.shape,
      values: decodeToFloat32(bytes, e.dtype, e.size),
      bytes,
    });
  }
  return { tensors, metadata: header.metadata };
}

/**
 * Reads a safetensors file held in memory, after checking its header (see `parseHeader` for every rule: header
 * length ≤ 100 MB by default, known dtypes, shapes matching byte lengths, offsets tiling the data section).
 * F32, F16, BF16 and F64 tensors are read; every {@link SafetensorsTensor.values} is float32.
 *
 * @throws {SafetensorsFormatError} naming the tensor, the expected and the found value.
 * @example
 * const weight = { shape: [400, 784], values: new Float32Array(400 * 784) };
 * const file = new File([writeSafetensors({ 'fc1.weight': weight }, { format: 'pt' })], 'vae.safetensors'); // <input type="file">
 * const { tensors, metadata } = readSafetensors(new Uint8Array(await file.arrayBuffer()));
 * tensors.get('fc1.weight')!.shape; // [400, 784]
 * metadata; // { format: 'pt' }
 */
export function readSafetensors(source: Uint8Array | ArrayBuffer, options: HeaderOptions = {}): SafetensorsFile {
  const fn = 'readSafetensors';
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.byteLength, options, fn);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.byteLength - 8 - n, fn);
  return decodeTensors(header, bytes.subarray(8 + n));
}
