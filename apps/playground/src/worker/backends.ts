/**
 * The only place that imports TensorFlow.js backends. The WASM binaries are bundled as same-origin assets
 * (hashed URLs from Vite) and handed to tfjs through `setWasmPaths`; threads are used when the page is
 * cross-origin isolated (SharedArrayBuffer), unless `?threads=0` turns them off.
 */
// tfjs-core registers no gradients by itself (the models train with variableGrads).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { type BackendInfo, type BackendSelection, describeBackend, selectBackend } from '@latentlab/core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { env } from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, type BackendChoice, type BackendStatus } from '../protocol.js';

let configured = false;
let threadCount = 1;

/** Points tfjs at the bundled .wasm files and sets the thread count; once, before the WASM backend starts. */
export function configureWasm(threads: boolean): void {
  if (configured) return;
  configured = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!threads || !isolated) env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else {
    threadCount = Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2));
    setThreadsCount(threadCount);
  }
}

/** The order to try: the chosen backend first, then the rest (so an unavailable choice falls back). */
export function preferenceOrder(first: BackendChoice): BackendChoice[] {
  return [first, ...BACKEND_CHOICES.filter((b) => b !== first)];
}

export function describe(info: BackendInfo): string {
  if (info.wasm) {
    const threads = info.wasm.threads ? `${threadCount} threads` : '1 thread';
    return `WASM · ${info.wasm.simd ? 'SIMD' : 'no SIMD'} · ${threads}`;
  }
  if (info.webgl) return `WebGL ${info.webgl.version} · ${info.webgl.float32Rendering ? 'float32' : 'float16'}`;
  return 'CPU (plain JavaScript)';
}

export function statusOf(
  selection: Pick<BackendSelection, 'name' | 'info'> & { fallbacks: BackendStatus['fallbacks'] },
): BackendStatus {
  return {
    name: selection.name as BackendChoice,
    detail: describe(selection.info),
    fallbacks: selection.fallbacks.map((f) => ({ backend: f.backend, reason: f.reason })),
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  };
}

/** Activates `first` or the first of the others that works; reports every fallback and why. */
export async function startBackend(first: BackendChoice): Promise<BackendStatus> {
  return statusOf(await selectBackend(preferenceOrder(first)));
}

export async function currentStatus(fallbacks: BackendStatus['fallbacks'] = []): Promise<BackendStatus> {
  const info = await describeBackend();
  return statusOf({ name: info.name as BackendChoice, info, fallbacks });
}
