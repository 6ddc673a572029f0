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

/** The rows `rows` of a row-major [n, d] matrix, as a new [rows.length, d] matrix. */
export function gatherRows(x: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * d, (rows[i]! + 1) * d), i * d);
  return out;
}
