/**
 * The only place that imports TensorFlow.js backends. The WASM binaries are bundled as same-origin assets
 * (hashed URLs from Vite) and handed to tfjs through `setWasmPaths`; threads are used when the page is
 * cross-origin isolated (SharedArrayBuffer), unless `?threads=0` turns them off. WebGPU registers itself only
 * where the worker has `navigator.gpu` (a secure context in a browser with WebGPU).
 */
// tfjs-core registers no gradients by itself (the models train with variableGrads).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendInfo, type BackendSelection, describeBackend, selectBackend } from '@latentlab/core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { env } from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, type BackendChoice, type BackendStatus } from '../protocol.js';
import { webglRenderer, webglSoftwareReason, webgpuAdapterInfo, webgpuSoftwareReason } from './software-gpu.js';

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

/** The order to try: the chosen backend first, then the rest, fastest first (so an unavailable choice falls back). */
export function preferenceOrder(first: BackendChoice): BackendChoice[] {
  return [first, ...BACKEND_CHOICES.filter((b) => b !== first)];
}

/**
 * The GPU backends the default passes over because their GPU is a software renderer ({@link webgpuSoftwareReason},
 * {@link webglSoftwareReason}), each with the reason. A GPU that cannot be asked is left to `selectBackend`.
 */
async function softwareGpus(): Promise<{ backend: BackendChoice; reason: string }[]> {
  const skipped: { backend: BackendChoice; reason: string }[] = [];
  const adapter = await webgpuAdapterInfo();
  const webgpu = adapter && webgpuSoftwareReason(adapter);
  if (webgpu) skipped.push({ backend: 'webgpu', reason: webgpu });
  const renderer = webglRenderer();
  const webgl = renderer !== null ? webglSoftwareReason(renderer) : null;
  if (webgl) skipped.push({ backend: 'webgl', reason: webgl });
  return skipped;
}

export function describe(info: BackendInfo): string {
  if (info.wasm) {
    const threads = info.wasm.threads ? `${threadCount} threads` : '1 thread';
    return `WASM · ${info.wasm.simd ? 'SIMD' : 'no SIMD'} · ${threads}`;
  }
  if (info.webgpu) {
    const { vendor, architecture, description } = info.webgpu;
    const adapter = [vendor, architecture].filter(Boolean).join(' ') || description || 'adapter withheld';
    const software = webgpuSoftwareReason(info.webgpu) !== null ? ' (software)' : '';
    return `WebGPU · ${adapter}${software}`;
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

/**
 * Activates `first` or the first of the others that works; reports every fallback and why. Without `first` (no
 * `?backend=`): the fastest that works, WebGPU → WebGL → WASM-SIMD → CPU, passing over a GPU backend whose GPU is
 * a software renderer (slower than WASM-SIMD, see software-gpu.ts).
 */
export async function startBackend(first: BackendChoice | null): Promise<BackendStatus> {
  if (first !== null) return statusOf(await selectBackend(preferenceOrder(first)));
  const skipped = await softwareGpus();
  const order = BACKEND_CHOICES.filter((b) => !skipped.some((s) => s.backend === b));
  const selection = await selectBackend(order);
  // Only those before the one that started were passed over (a software WebGL behind a working WebGPU was not).
  const rank = (name: string) => BACKEND_CHOICES.indexOf(name as BackendChoice);
  const fallbacks = [...skipped, ...selection.fallbacks]
    .filter((f) => rank(f.backend) < rank(selection.name))
    .sort((a, b) => rank(a.backend) - rank(b.backend));
  return statusOf({ ...selection, fallbacks });
}

/** The active backend's status, with the start-up fallbacks other than itself (it may have been chosen since). */
export async function currentStatus(fallbacks: BackendStatus['fallbacks'] = []): Promise<BackendStatus> {
  const info = await describeBackend();
  const others = fallbacks.filter((f) => f.backend !== info.name);
  return statusOf({ name: info.name as BackendChoice, info, fallbacks: others });
}
