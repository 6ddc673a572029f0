import { formatShape, ShapeError } from '@latentlab/core';
import { cast, slice, Tensor, type Tensor2D, tensor2d, tidy } from '@tensorflow/tfjs-core';

/** A data matrix held in JavaScript memory: `data` is row-major [n, d]. */
export interface MatrixData {
  data: Float32Array | Uint8Array;
  shape: readonly [number, number];
}

/** What the PCA methods accept: a rank-2 tensor or a row-major typed array with its shape. */
export type MatrixInput = Tensor2D | MatrixData;

/**
 * Row access to a [n, d] matrix, chunk by chunk, so data larger than one backend allocation is never
 * uploaded whole. `tensor` returns a new tensor the caller disposes; `rows` a float32 view or copy (a tensor's
 * values read back asynchronously once, so it works on every backend, webgpu included).
 */
export interface RowSource {
  readonly n: number;
  readonly d: number;
  /** True when the rows live in JavaScript memory (a typed array), so `rows` costs no backend read. */
  readonly inMemory: boolean;
  tensor(start: number, end: number): Tensor2D;
  rows(start: number, end: number): Promise<Float32Array>;
}

/** Validates `x` for `fn` and wraps it as a {@link RowSource}. */
export function rowSource(fn: string, name: string, x: MatrixInput): RowSource {
  if (x instanceof Tensor) {
    if (x.rank !== 2) {
      throw new ShapeError(fn, `${name} must be a matrix`, 'rank 2 [n, d]', `rank ${x.rank} ${formatShape(x.shape)}`);
    }
    const [n, d] = x.shape;
    let values: Float32Array | null = null;
    return {
      n,
      d,
      inMemory: false,
      tensor: (start, end) =>
        tidy(() => {
          const rows = start === 0 && end === n ? x.clone() : slice(x, [start, 0], [end - start, d]);
          return x.dtype === 'float32' ? rows : cast(rows, 'float32');
        }),
      rows: async (start, end) => {
        if (!values) {
          const read = await x.data(); // float32 values are used as read: no second copy
          values = read instanceof Float32Array ? read : Float32Array.from(read);
        }
        return values.subarray(start * d, end * d);
      },
    };
  }
  const { data, shape } = (x ?? {}) as Partial<MatrixData>;
  if (!(data instanceof Float32Array || data instanceof Uint8Array)) {
    throw new ShapeError(
      fn,
      `${name} must be a Tensor2D or { data, shape }`,
      'Float32Array or Uint8Array data',
      describe(data),
    );
  }
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new ShapeError(fn, `${name}.shape is not a matrix shape`, '[n, d] with integers ≥ 0', String(shape));
  }
  const [n, d] = shape as [number, number];
  if (data.length !== n * d) {
    throw new ShapeError(
      fn,
      `${name}.data does not fit ${name}.shape`,
      `${n * d} values for ${formatShape(shape)}`,
      `${data.length} values`,
    );
  }
  const rows = (start: number, end: number) =>
    data instanceof Float32Array
      ? data.subarray(start * d, end * d)
      : Float32Array.from(data.subarray(start * d, end * d));
  return {
    n,
    d,
    inMemory: true,
    rows: async (start, end) => rows(start, end),
    tensor: (start, end) => tensor2d(Float32Array.from(rows(start, end)), [end - start, d]),
  };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return (v as object).constructor?.name ?? typeof v;
}

/**
 * Where the passes over the data run: `'backend'` as tfjs `matMul`s, `'javascript'` in float64 JavaScript
 * (skipping zero entries), `'auto'` to choose per backend and data (see {@link PcaFitOptions.kernel}).
 */
export type PcaKernel = 'auto' | 'backend' | 'javascript';

/** Fraction of non-zero values in `x`. */
export function density(x: Float32Array): number {
  let nnz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nnz++;
  return x.length ? nnz / x.length : 1;
}

/** Default number of rows per chunk: about 4 M values, so a 60 000 × 784 matrix goes in 12 chunks. */
export function defaultChunkRows(d: number): number {
  return Math.max(16, Math.floor(2 ** 22 / Math.max(1, d)));
}

/**
 * Gathers the non-zero entries of row `r` of the row-major [rows, d] matrix `x` into `idx` (their columns) and
 * `val` (their values), both of length ≥ d, and returns how many there are: the sparse row the JavaScript
 * kernels (scatter matrix, covariance products) iterate over instead of all d entries.
 *
 * @example
 * const [x, d, r] = [Float32Array.of(1, 0, 0, 0, 2, 0, 3, 0), 4, 1]; // row 1 of a [2, 4] matrix: [2, 0, 3, 0]
 * const [idx, val] = [new Int32Array(d), new Float64Array(d)];
 * const nnz = nonZeros(x, r, d, idx, val); // 2: idx [0, 2, …], val [2, 3, …]; x[r·d + idx[a]] = val[a] for a < nnz
 */
export function nonZeros(x: Float32Array, r: number, d: number, idx: Int32Array, val: Float64Array): number {
  const off = r * d;
  let nnz = 0;
  for (let j = 0; j < d; j++) {
    const v = x[off + j]!;
    if (v !== 0) {
      idx[nnz] = j;
      val[nnz++] = v;
    }
  }
  return nnz;
}
