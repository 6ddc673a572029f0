/**
 * The bytes of a small WebAssembly module with two functions. `adam` is the Adam update of adam-update.ts in float32
 * over four lanes at a time (128-bit SIMD), then one at a time for the last n mod 4 elements:
 *
 *     m' = m + (g − m)·c₁      v' = v + (g² − v)·c₂      w' = w − (m'·α_t)/(√v' + ε̂_t)
 *
 * `adam(g, m, v, w, mOut, vOut, wOut, n, c1, c2, alpha, epsHat)` takes byte offsets into the memory it imports
 * (`env.memory`: tfjs-backend-wasm's heap, so it reads and writes tensors where they are) and writes m', v', w'
 * to the three outputs. `add(dst, src, n)` adds n floats of src into dst the same way (the workers' gradients of
 * `trainInWorkers`, summed before their Adam). Written here opcode by opcode, from the WebAssembly binary format
 * (core 1.0 and the fixed-width SIMD proposal, in every engine since 2021), so the repository needs no WebAssembly
 * toolchain.
 *
 * @example
 * const memory = new wasmApi!.Memory({ initial: 1 });
 * const { exports } = new wasmApi!.Instance(new wasmApi!.Module(adamModule(false)), { env: { memory } });
 * (exports.adam as Function)(0, 16, 32, 48, 64, 80, 96, 4, 0.1, 0.001, 1e-3, 1e-8); // 4 floats at each offset
 */

/** The WebAssembly JavaScript API members used with this module (the library compiles without the DOM's types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
/** This engine's WebAssembly object (undefined in an engine without WebAssembly). */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Core opcodes used below. */
const Op = {
  Block: 0x02,
  Loop: 0x03,
  End: 0x0b,
  Br: 0x0c,
  BrIf: 0x0d,
  LocalGet: 0x20,
  LocalSet: 0x21,
  I32Const: 0x41,
  F32Load: 0x2a,
  F32Store: 0x38,
  I32GeU: 0x4f,
  I32Add: 0x6a,
  I32And: 0x71,
  I32Shl: 0x74,
  F32Sqrt: 0x91,
  F32Add: 0x92,
  F32Sub: 0x93,
  F32Mul: 0x94,
  F32Div: 0x95,
} as const;

/** SIMD opcodes (after the 0xfd prefix, as unsigned LEB128). */
const Simd = {
  V128Load: 0x00,
  V128Store: 0x0b,
  F32x4Splat: 0x13,
  F32x4Sqrt: 0xe3,
  F32x4Add: 0xe4,
  F32x4Sub: 0xe5,
  F32x4Mul: 0xe6,
  F32x4Div: 0xe7,
} as const;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vector = (bytes: number[]) => [...uleb(bytes.length), ...bytes];
const section = (id: number, bytes: number[]) => [id, ...vector(bytes)];
const name = (s: string) => vector([...new TextEncoder().encode(s)]);

// Parameters, then locals, by index.
const [G, M, V, W, M_OUT, V_OUT, W_OUT, N, C1, C2, ALPHA, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [OFF, END] = [12, 13]; // i32: byte offset of the current element, end of the 4-lane part
const [VC1, VC2, VALPHA, VEPS, VG, VM, VV] = [14, 15, 16, 17, 18, 19, 20]; // v128
const [SG, SM, SV] = [21, 22, 23]; // f32

const get = (i: number) => [Op.LocalGet, ...uleb(i)];
const set = (i: number) => [Op.LocalSet, ...uleb(i)];
const simd = (op: number) => [0xfd, ...uleb(op)];
/** base + off: the address of the current element of the array at byte offset `base`. */
const at = (base: number) => [...get(base), ...get(OFF), Op.I32Add];

/** The update's arithmetic, once for 4 lanes (v128, f32x4 ops) and once for 1 (f32 ops). */
function update(lanes: 4 | 1): number[] {
  const wide = lanes === 4;
  const load = wide ? [...simd(Simd.V128Load), 2, 0] : [Op.F32Load, 2, 0]; // align 2^2, offset 0
  const store = wide ? [...simd(Simd.V128Store), 2, 0] : [Op.F32Store, 2, 0];
  const add = wide ? simd(Simd.F32x4Add) : [Op.F32Add];
  const sub = wide ? simd(Simd.F32x4Sub) : [Op.F32Sub];
  const mul = wide ? simd(Simd.F32x4Mul) : [Op.F32Mul];
  const div = wide ? simd(Simd.F32x4Div) : [Op.F32Div];
  const sqrt = wide ? simd(Simd.F32x4Sqrt) : [Op.F32Sqrt];
  const [g, m, v] = wide ? [VG, VM, VV] : [SG, SM, SV];
  const [c1, c2, alpha, eps] = wide ? [VC1, VC2, VALPHA, VEPS] : [C1, C2, ALPHA, EPS];
  // biome-ignore format: one line per term of the formula
  return [
    ...at(G), ...load, ...set(g),
    // m' = m + (g − m)·c₁
    ...at(M), ...load, ...set(m),
    ...get(m), ...get(g), ...get(m), ...sub, ...get(c1), ...mul, ...add, ...set(m),
    ...at(M_OUT), ...get(m), ...store,
    // v' = v + (g² − v)·c₂
    ...at(V), ...load, ...set(v),
    ...get(v), ...get(g), ...get(g), ...mul, ...get(v), ...sub, ...get(c2), ...mul, ...add, ...set(v),
    ...at(V_OUT), ...get(v), ...store,
    // w' = w − (m'·α_t)/(√v' + ε̂_t)
    ...at(W_OUT),
    ...at(W), ...load,
    ...get(m), ...get(alpha), ...mul,
    ...get(v), ...sqrt, ...get(eps), ...add,
    ...div, ...sub, ...store,
  ];
}

/** `while (off < end) { body; off += step }`, `off` the local at index `offset` (`adam`'s by default). */
function loop(end: number[], step: number, body: number[], offset = OFF): number[] {
  // biome-ignore format: the loop's shape
  return [
    Op.Block, 0x40, Op.Loop, 0x40,
    ...get(offset), ...end, Op.I32GeU, Op.BrIf, 1,
    ...body,
    ...get(offset), Op.I32Const, ...sleb(step), Op.I32Add, ...set(offset),
    Op.Br, 0, Op.End, Op.End,
  ];
}

// `add`'s parameters, then locals.
const [DST, SRC, COUNT, AT, STOP] = [0, 1, 2, 3, 4];

/**
 * The body of `add(dst, src, n)`: dst[i] += src[i] for i < n (byte offsets), four lanes at a time, then one at a
 * time for the last n mod 4: the sum of the workers' gradients (g = Σ_w g_w) before `adam`.
 */
function addCode(): number[] {
  const here = (base: number) => [...get(base), ...get(AT), Op.I32Add];
  const sum = (lanes: 4 | 1) => {
    const load = lanes === 4 ? [...simd(Simd.V128Load), 2, 0] : [Op.F32Load, 2, 0];
    const store = lanes === 4 ? [...simd(Simd.V128Store), 2, 0] : [Op.F32Store, 2, 0];
    const add = lanes === 4 ? simd(Simd.F32x4Add) : [Op.F32Add];
    return [...here(DST), ...here(DST), ...load, ...here(SRC), ...load, ...add, ...store];
  };
  // biome-ignore format: the function's parts
  return [
    1, 2, I32, // locals: at, stop
    ...get(COUNT), Op.I32Const, ...sleb(-4), Op.I32And, Op.I32Const, 2, Op.I32Shl, ...set(STOP),
    ...loop(get(STOP), 16, sum(4), AT),
    ...loop([...get(COUNT), Op.I32Const, 2, Op.I32Shl], 4, sum(1), AT),
    Op.End,
  ];
}

/**
 * The module's bytes. `shared`: import a shared memory (tfjs-backend-wasm's threaded build), declared with the
 * largest maximum (4 GiB), which any memory satisfies; otherwise an unshared one of at least one page.
 */
export function adamModule(shared: boolean): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32];
  const type = [2, 0x60, ...vector(params), 0, 0x60, ...vector([I32, I32, I32]), 0]; // adam's, add's
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = [1, ...name('env'), ...name('memory'), 0x02, ...limits];
  const locals = [3, 2, I32, 7, V128, 3, F32];
  // biome-ignore format: the function's three parts
  const code = [
    ...locals,
    ...[C1, C2, ALPHA, EPS].flatMap((s, i) => [...get(s), ...simd(Simd.F32x4Splat), ...set(VC1 + i)]),
    // end = (n & ~3)·4 bytes: the 4-lane part; then the rest one element at a time up to n·4
    ...get(N), Op.I32Const, ...sleb(-4), Op.I32And, Op.I32Const, 2, Op.I32Shl, ...set(END),
    ...loop(get(END), 16, update(4)),
    ...loop([...get(N), Op.I32Const, 2, Op.I32Shl], 4, update(1)),
    Op.End,
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, type),
    ...section(2, imports),
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...name('adam'), 0x00, 0, ...name('add'), 0x00, 1]),
    ...section(10, [2, ...vector(code), ...vector(addCode())]),
  ]);
}

/** The module's `adam(g, m, v, w, mOut, vOut, wOut, n, c1, c2, alpha, epsHat)`, byte offsets into its memory. */
export type AdamFunction = (...args: number[]) => void;
/** The module's `add(dst, src, n)`: dst[i] += src[i] for i < n, byte offsets into its memory. */
export type AddFunction = (dst: number, src: number, n: number) => void;

/**
 * The module's functions, instantiated on `memory` in the flavour that memory needs (shared or not); null where
 * this engine has no WebAssembly or no 128-bit SIMD (its callers then keep their element-wise loops).
 *
 * @example
 * const memory = new wasmApi!.Memory({ initial: 1, maximum: 1, shared: true });
 * const simd = adamOn(memory); // null only without SIMD
 * simd?.add(0, 64, 4); // g += the 4 floats at byte 64 (another worker's gradient)
 * simd?.adam(0, 16, 32, 48, 16, 32, 48, 4, 0.1, 0.001, 1e-3, 1e-8); // 4 floats of g, m, v, w, updated in place
 */
export function adamOn(memory: WasmMemory): { adam: AdamFunction; add: AddFunction } | null {
  if (!wasmApi || !(memory instanceof wasmApi.Memory)) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const module = new wasmApi.Module(adamModule(shared)); // ≈ 1 kB: synchronous compilation is allowed
    const { exports } = new wasmApi.Instance(module, { env: { memory } });
    return { adam: exports.adam as AdamFunction, add: exports.add as AddFunction };
  } catch {
    return null; // no 128-bit SIMD here
  }
}
