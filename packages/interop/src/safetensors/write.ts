import { ValueError } from '@latentlab/core';

/** A tensor to write: its shape and values (float32; float64 values are written as F64 when `dtype` says so). */
export interface TensorToWrite {
  shape: readonly number[];
  values: Float32Array | Float64Array | readonly number[];
  /** 'F32' (default) or 'F64'. */
  dtype?: 'F32' | 'F64';
}

/**
 * Writes a safetensors file: u64 header length N, the JSON header (`__metadata__` first, then the tensors in sorted
 * name order, contiguous), padded with spaces to a multiple of 8 bytes (as the reference implementation does, so the
 * data section is aligned), then each tensor's little-endian bytes. F32 by default; F64 on request (PCA).
 *
 * @throws {ValueError} a shape that is not a list of non-negative integers, or values of another length.
 * @example
 * const bytes = writeSafetensors({ 'fc1.weight': { shape: [2, 3], values: new Float32Array(6) } }, { format: 'pt' });
 * readSafetensors(bytes).tensors.get('fc1.weight')!.shape; // [2, 3]
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata: Readonly<Record<string, string>> | null = null,
): Uint8Array {
  const fn = 'writeSafetensors';
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(fn, `metadata '${k}' is not a string`, 'a string', typeof v);
    }
    header.__metadata__ = { ...metadata }; // first, as the reference implementation writes it
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new ValueError(fn, 'a tensor is named __metadata__', 'another name', name);
    const t = tensors[name]!;
    const dtype = t.dtype ?? 'F32';
    if (dtype !== 'F32' && dtype !== 'F64')
      throw new ValueError(fn, `tensor '${name}': unsupported dtype`, "'F32' or 'F64'", String(dtype));
    if (!Array.isArray(t.shape) || !t.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      throw new ValueError(fn, `tensor '${name}': bad shape`, 'non-negative integers', JSON.stringify(t.shape));
    }
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.values.length !== size) {
      throw new ValueError(fn, `tensor '${name}': values do not fit the shape`, `${size} values`, `${t.values.length}`);
    }
    const bytes = size * (dtype === 'F32' ? 4 : 8);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const name of names) {
    const t = tensors[name]!;
    if ((t.dtype ?? 'F32') === 'F32') {
      for (let i = 0; i < t.values.length; i++, at += 4) view.setFloat32(at, t.values[i]!, true);
    } else {
      for (let i = 0; i < t.values.length; i++, at += 8) view.setFloat64(at, t.values[i]!, true);
    }
  }
  return out;
}
