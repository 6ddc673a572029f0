import { ValueError } from '@latentlab/core';
import {
  engine,
  getKernel,
  type KernelFunc,
  registerKernel,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { AdamStepScalars } from '../adam-update.js';
import { type AdamFunction, adamOn, type WasmMemory } from './adam-module.js';

const ADAM = 'LatentlabAdamWasm';

/** What this kernel uses of tfjs-backend-wasm's backend: its heap, the tensors' offsets in it, new outputs. */
interface WasmBackend {
  wasm: { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** The compiled update per heap (one backend instance, or a later one after a re-registration); null: no SIMD. */
const compiled = new WeakMap<WasmMemory, AdamFunction | null>();

/** The module's `adam` on `backend`'s heap; null where the engine lacks SIMD or the heap is unknown. */
function adamOnHeap(backend: WasmBackend): AdamFunction | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) return null;
  if (!compiled.has(memory)) compiled.set(memory, adamOn(memory)?.adam ?? null); // null: FusedAdam keeps tfjs's kernels
  return compiled.get(memory) ?? null;
}

/**
 * inputs g, m, v, w (float32, one variable) → [m', v', w'] in fresh buffers, by one call of the SIMD update
 * (adam-module.ts) on the heap where the tensors live: one pass that reads 4 arrays and writes 3, where tfjs's 12
 * element-wise kernels make 12 passes.
 */
const adamKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackend;
  const { c1, c2, alpha, epsHat } = attrs as unknown as AdamStepScalars;
  const [g, m, v, w] = (['g', 'm', 'v', 'w'] as const).map((k) => inputs[k] as TensorInfo);
  const outs = [m!, v!, w!].map((t) => b.makeOutput([...t.shape], 'float32'));
  const offset = (t: TensorInfo) => b.getMemoryOffset(t.dataId);
  const size = w!.shape.reduce((p, d) => p * d, 1);
  adamOnHeap(b)!(...[g!, m!, v!, w!, ...outs].map(offset), size, c1, c2, alpha, epsHat);
  return outs;
};

/**
 * Whether {@link wasmAdam} can run: the backend is tfjs's wasm one and this engine compiles 128-bit SIMD.
 *
 * @example
 * const oneKernel = wasmAdamAvailable(); // true on the wasm backend, where WebAssembly has 128-bit SIMD
 */
export function wasmAdamAvailable(): boolean {
  const backend = engine().backendName === 'wasm' ? (engine().backend as unknown as WasmBackend) : null;
  return backend !== null && adamOnHeap(backend) !== null;
}

/**
 * One Adam update of one float32 variable on the wasm backend, in one kernel (`LatentlabAdamWasm`) instead of 12:
 * m' = m + (g − m)·c₁, v' = v + (g² − v)·c₂, w' = w − α_t·m'/(√v' + ε̂_t), the formula of adam-update.ts computed in
 * float32. Returns new tensors [m', v', w']; the inputs are left as they are. Check {@link wasmAdamAvailable} first.
 *
 * @example
 * if (wasmAdamAvailable()) {
 *   const [g, m, v, w] = [tf.ones([5]), tf.zeros([5]), tf.zeros([5]), tf.ones([5])];
 *   const step1 = { c1: 0.1, c2: 0.001, alpha: (1e-3 * Math.sqrt(0.001)) / 0.1, epsHat: 1e-8 * Math.sqrt(0.001) };
 *   const [m1, v1, w1] = wasmAdam(g, m, v, w, step1); // adamStepScalars(lr 1e-3, β 0.9 / 0.999, ε 1e-8) at t = 1
 *   console.log(w1.dataSync()); // ≈ 0.999 each: Adam's first step moves every weight by ≈ lr
 *   tf.dispose([g, m, v, w, m1, v1, w1]);
 * }
 */
export function wasmAdam(g: Tensor, m: Tensor, v: Tensor, w: Tensor, step: AdamStepScalars): [Tensor, Tensor, Tensor] {
  if (getKernel(ADAM, 'wasm') == null)
    registerKernel({ kernelName: ADAM, backendName: 'wasm', kernelFunc: adamKernel });
  for (const [name, t] of Object.entries({ g, m, v, w })) {
    if (t.dtype !== 'float32' || t.size !== w.size) {
      throw new ValueError(
        'wasmAdam',
        `${name} does not fit`,
        `float32, ${w.size} values`,
        `${t.dtype}, ${t.size} values`,
      );
    }
  }
  const { c1, c2, alpha, epsHat } = step;
  const attrs = { c1, c2, alpha, epsHat } as unknown as Record<string, never>;
  return engine().runKernel(ADAM, { g, m, v, w }, attrs) as unknown as [Tensor, Tensor, Tensor];
}
