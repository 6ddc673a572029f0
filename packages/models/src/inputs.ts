/**
 * The one input type of every model (`Vae`, `Autoencoder`, `Pca`) and the one byte scaling:
 *
 *     ModelInput = Dataset | Tensor | { data, shape }
 *
 * - a {@link Dataset} of `@latentlab/data` (`{ x, shape, labels? }`; `name` optional here),
 * - a `tf.Tensor` [n, ...featureShape], used as it is (its values are not scaled),
 * - `{ data: Uint8Array | Float32Array, shape: [n, ...featureShape] }`, row-major.
 *
 * Stored bytes (`Uint8Array`) are pixels: every model reads them as x / 255 ∈ [0, 1] (data's `scale: 'unit'`,
 * the default of `batches` for bytes); float32 values are read as they are.
 */
import { formatShape, ShapeError, ValueError } from '@latentlab/core';
import { createDataset, type Dataset } from '@latentlab/data';
import { reshape, Tensor, type Tensor2D, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { type RowSource, rowSource } from './pca/matrix.js';

/** Values held in JavaScript memory with their shape [n, ...featureShape], row-major. */
export interface ArrayInput {
  data: Float32Array | Uint8Array;
  shape: readonly number[];
}

/** A {@link Dataset} as a model input: its `name` may be left out. */
export type DatasetInput = Omit<Dataset, 'name'> & { readonly name?: string };

/** What every model method takes as data (see the module comment for the byte scaling). */
export type ModelInput = DatasetInput | Tensor | ArrayInput;

/** x / 255 for every byte, in float32 (the values of data's `scale: 'unit'`). */
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

const EXPECTED = 'a Dataset { x, shape }, a tf.Tensor [n, ...features] or { data: Uint8Array | Float32Array, shape }';

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== 'object') return typeof v;
  if (ArrayBuffer.isView(v) || Array.isArray(v))
    return `a bare ${v.constructor.name} (give its shape: { data, shape })`;
  return `an object with keys ${Object.keys(v).join(', ') || '(none)'}`;
}

/** Stored rows: the typed array and its shape, before any dataset checks. */
interface Stored {
  x: Uint8Array | Float32Array;
  shape: readonly number[];
}

/**
 * The stored array and shape of a Dataset or `{ data, shape }`, checked as PCA's `rowSource` checks a matrix:
 * a Uint8Array or Float32Array, a shape [n ≥ 0, d₁ ≥ 1, …] of integers, ∏ shape values.
 */
function storedOf(fn: string, name: string, input: ModelInput): Stored {
  const o = input as Partial<ArrayInput & DatasetInput> | null;
  const x = o !== null && typeof o === 'object' ? ('x' in o ? o.x : 'data' in o ? o.data : undefined) : undefined;
  if (x === undefined) throw new ValueError(fn, `${name} is not a model input`, EXPECTED, describe(input));
  const field = 'x' in (o as object) ? 'x' : 'data';
  if (!(x instanceof Uint8Array || x instanceof Float32Array) || x instanceof Uint8ClampedArray) {
    throw new ShapeError(fn, `${name}.${field} is not a Uint8Array or Float32Array`, EXPECTED, describe(x));
  }
  const shape = o!.shape;
  const ok =
    Array.isArray(shape) &&
    shape.length >= 2 &&
    shape.every((s: unknown, i: number) => Number.isSafeInteger(s) && (s as number) >= (i === 0 ? 0 : 1));
  if (!ok) {
    throw new ShapeError(
      fn,
      `${name}.shape is not a data shape`,
      '[n ≥ 0, ...features ≥ 1] of integers',
      Array.isArray(shape) ? formatShape(shape) : String(shape),
    );
  }
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (x.length !== size) {
    throw new ShapeError(
      fn,
      `${name}.${field} does not fit ${name}.shape`,
      `${size} values for ${formatShape(shape as number[])}`,
      `${x.length} values`,
    );
  }
  return { x, shape: shape as number[] };
}

/**
 * Any {@link ModelInput} as a checked, frozen {@link Dataset} named `name` (for the trainer's batches, which
 * scale bytes by 1/255). A tensor is read back once, asynchronously (so it works on every backend, webgpu
 * included), into a Float32Array.
 * @throws {ValueError} naming `fn` for anything else; data's `DatasetError` for inconsistent arrays.
 */
export async function inputDataset(fn: string, name: string, input: ModelInput): Promise<Dataset> {
  if (input instanceof Tensor) {
    if (input.rank < 2) {
      throw new ShapeError(fn, `${name} has too low a rank`, 'rank ≥ 2 [n, ...features]', formatShape(input.shape));
    }
    return createDataset({ name, x: Float32Array.from(await input.data()), shape: input.shape });
  }
  // createDataset's result is frozen and already checked: pass it on without checking every value again.
  const given = input as Partial<DatasetInput> | null;
  if (
    typeof given === 'object' &&
    given !== null &&
    'x' in given &&
    typeof given.name === 'string' &&
    Object.isFrozen(given)
  ) {
    return given as Dataset;
  }
  const { x, shape } = storedOf(fn, name, input);
  if ('x' in input) {
    const { labels, classNames, t } = input;
    return createDataset({ name: input.name ?? name, x, shape, labels, classNames, t });
  }
  return createDataset({ name, x, shape });
}

/** Bytes → x / 255 and float32 as is, rows [start, end) of d features, into a new Float32Array. */
function unitRows(x: Uint8Array, d: number, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * d);
  for (let i = 0, j = start * d; i < out.length; i++, j++) out[i] = UNIT[x[j]!]!;
  return out;
}

/**
 * Any {@link ModelInput} as a [n, d] tensor for a model whose examples have `d` features: a tensor is
 * reshaped (sharing its data), arrays are uploaded with bytes scaled by 1/255. Call it inside `tidy` (or
 * dispose the result): it may be a new tensor.
 * @throws {ShapeError} naming `fn` unless the input has n ≥ 1 rows of d features.
 */
export function inputTensor(
  fn: string,
  name: string,
  input: ModelInput,
  d: number,
  { space, expected }: { space: string; expected: string },
): Tensor2D {
  const misfit = (shape: readonly number[]) =>
    new ShapeError(fn, `${name} does not fit ${space}`, expected, formatShape(shape));
  if (input instanceof Tensor) {
    if (input.rank < 2 || input.shape[0] === 0 || input.size / input.shape[0]! !== d) throw misfit(input.shape);
    return reshape(input, [input.shape[0]!, d]);
  }
  const { x, shape } = storedOf(fn, name, input);
  const n = shape[0]!;
  if (n === 0 || x.length / n !== d) throw misfit(shape);
  return tensor2d(x instanceof Uint8Array ? unitRows(x, d, 0, n) : x, [n, d]);
}

/**
 * Any {@link ModelInput} as a {@link RowSource} [n, d] for PCA's chunked passes (d = ∏ featureShape):
 * float32 rows as they are, bytes as x / 255 (each chunk converted when read). A tensor must be rank 2.
 */
export function inputRows(fn: string, name: string, input: ModelInput): RowSource {
  if (input instanceof Tensor) {
    if (input.rank <= 2) return rowSource(fn, name, input as Tensor2D);
    // [n, ...features] → rows of d = ∏ features (row-major, so the values are already in row order).
    const n = input.shape[0]!;
    const d = input.shape.slice(1).reduce((a, b) => a * b, 1);
    let values: Float32Array | null = null;
    return {
      n,
      d,
      inMemory: false,
      tensor: (start, end) => tidy(() => rowSource(fn, name, reshape(input, [n, d]) as Tensor2D).tensor(start, end)),
      rows: async (start, end) => {
        if (!values) {
          const read = await input.data(); // float32 values are used as read: no second copy
          values = read instanceof Float32Array ? read : Float32Array.from(read);
        }
        return values.subarray(start * d, end * d);
      },
    };
  }
  const { x, shape } = storedOf(fn, name, input);
  const n = shape[0]!;
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  if (x instanceof Float32Array) return rowSource(fn, name, { data: x, shape: [n, d] });
  const rows = (start: number, end: number) => unitRows(x, d, start, end);
  return {
    n,
    d,
    inMemory: true,
    rows: async (start, end) => rows(start, end),
    tensor: (start, end) => tensor2d(rows(start, end), [end - start, d]),
  };
}
