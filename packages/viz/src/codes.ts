import { VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';

/** Latent codes: one array per point (`number[][]`, `Float32Array[]`) or one flat row-major array with `dim`. */
export type LatentCodes = ArrayLike<number>[] | Float32Array | Float64Array | number[];

/** Codes read into one float64 row-major matrix `[n, dim]`. */
export interface CodeMatrix {
  n: number;
  dim: number;
  data: Float64Array;
}

function isRows(codes: LatentCodes): codes is ArrayLike<number>[] {
  return Array.isArray(codes) && codes.length > 0 && typeof codes[0] !== 'number';
}

/**
 * Reads codes into a `[n, dim]` float64 matrix, checking every row has `dim` finite entries.
 * Throws `VizShapeError` (ragged rows, flat length not a multiple of dim), `VizNonFiniteError` (NaN/±∞, naming the row).
 */
export function readCodes(fn: string, codes: LatentCodes, dim?: number): CodeMatrix {
  let n: number;
  let d: number;
  let data: Float64Array;
  if (isRows(codes)) {
    n = codes.length;
    d = codes[0]!.length;
    if (dim !== undefined && dim !== d) throw new VizShapeError(fn, 'code length does not match dim', `${dim}`, `${d}`);
    data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = codes[i]!;
      if (row.length !== d) {
        throw new VizShapeError(fn, `code ${i} has the wrong length`, `${d} numbers like code 0`, `${row.length}`);
      }
      for (let j = 0; j < d; j++) data[i * d + j] = row[j]!;
    }
  } else {
    const flat = codes as ArrayLike<number>;
    if (dim === undefined || !Number.isInteger(dim) || dim < 1) {
      throw new VizValueError(fn, 'flat codes need a dim', 'an integer dim ≥ 1', String(dim));
    }
    if (flat.length % dim !== 0) {
      throw new VizShapeError(fn, 'flat codes length is not a multiple of dim', `n × ${dim}`, `${flat.length}`);
    }
    n = flat.length / dim;
    d = dim;
    data = Float64Array.from(flat);
  }
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k]!)) {
      const i = Math.floor(k / d);
      throw new VizNonFiniteError(
        fn,
        `code ${i} has a non-finite coordinate`,
        'finite numbers',
        `${data[k]} at dimension ${k % d}`,
      );
    }
  }
  return { n, dim: d, data };
}
