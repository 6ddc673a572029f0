/**
 * The rows the plots show: `count` rows spread evenly over the whole data set, row ⌊i·n/count⌋ for i = 0..count−1,
 * rather than the first `count`. Data sets stored class by class (two moons, blobs, a sorted CSV) then show every
 * class in proportion: a class of m consecutive rows gets ⌊m·count/n⌋ or ⌈m·count/n⌉ of them.
 *
 * @example
 * plotRows(10, 4); // Int32Array [0, 2, 5, 7]
 */
export function plotRows(n: number, count: number): Int32Array {
  const k = Math.min(n, count);
  return Int32Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

/**
 * The rows `rows` of a row-major [n, d] matrix, as a new float32 [rows.length, d] matrix in model space: bytes
 * (images) are scaled to [0, 1] as the models read them, v / 255; float32 values are copied as they are.
 *
 * @example
 * gatherRows(Uint8Array.from([0, 255, 51, 102]), 2, Int32Array.from([1])); // Float32Array [0.2, 0.4]
 */
export function gatherRows(x: Float32Array | Uint8Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const row = x.subarray(rows[i]! * d, (rows[i]! + 1) * d);
    if (row instanceof Float32Array) out.set(row, i * d);
    else for (let j = 0; j < d; j++) out[i * d + j] = row[j]! / 255;
  }
  return out;
}
