/**
 * What the WebGPU backend needs before and after tfjs creates it: an adapter from `navigator.gpu` (a browser with
 * WebGPU, or Node with Dawn's bindings, see `installDawn`), float32 arithmetic, and a description of the adapter.
 *
 * Core compiles without the DOM lib, so the few WebGPU types used here are written out structurally.
 */
import { backend, exp, fill, getBackend, tidy } from '@tensorflow/tfjs-core';

/** What the WebGPU adapter says about itself (WebGPU `GPUAdapterInfo`; empty strings where the browser hides it). */
export interface WebgpuInfo {
  /** The adapter's vendor, e.g. `'nvidia'`, `'google'` (SwiftShader), or `''` where the browser withholds it. */
  vendor: string;
  /** The GPU family, e.g. `'ampere'`, `'swiftshader'`, or `''`. */
  architecture: string;
  /** A driver-given description, e.g. `'SwiftShader driver 5.0.0'`, when available. */
  description?: string;
  /** True for a software (fallback) adapter such as SwiftShader, when the adapter says so. */
  isFallbackAdapter?: boolean;
}

/** The parts of WebGPU's `GPUAdapterInfo` read here. @internal */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The parts of WebGPU's `GPU` (`navigator.gpu`) used here. @internal */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfoLike } | null>;
}

/** `navigator.gpu` when this environment has one, else `undefined`. @internal */
export function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu ?? undefined;
}

/**
 * Why WebGPU cannot start here, checked before tfjs creates the backend (tfjs-backend-webgpu's factory reads
 * `adapter.features` without checking for `null`, so a missing adapter would surface as a bare TypeError).
 * Asks for the adapter the way tfjs will (`powerPreference: 'high-performance'`). `null` when an adapter exists.
 * @internal
 */
export async function webgpuShortfall(gpu: GpuLike | undefined = navigatorGpu()): Promise<string | null> {
  if (gpu == null) {
    return 'WebGPU is unavailable in this environment (no navigator.gpu: use a browser with WebGPU, or in Node install the optional `webgpu` package)';
  }
  let adapter: unknown;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return `navigator.gpu.requestAdapter() failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (adapter == null) {
    return 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null (no usable GPU or driver; in Node, Dawn needs a Vulkan driver and libvulkan.so.1 on Linux, Metal on macOS, D3D12 on Windows)';
  }
  return null;
}

/**
 * Why the active backend does not compute in float32, or `null` when it does. The probe computes
 * `exp(30) ≈ 1.07e13` on 1024 elements (enough that tfjs-webgpu runs it on the GPU, not forwarded to the CPU)
 * and reads the result asynchronously: float16 overflows (max 65504) and bfloat16 is off by ≈ 0.4 %, while float32
 * is within its relative rounding error 2⁻²³ per operation (1e-5 allows for a less careful `exp`).
 * @internal
 */
export async function float32Shortfall(): Promise<string | null> {
  const probe = tidy(() => exp(fill([1024], 30)));
  try {
    const values = await probe.data();
    const expected = Math.exp(30);
    const worst = Math.max(...Array.from(values, (v) => Math.abs(v - expected) / expected));
    if (!(worst <= 1e-5)) {
      return `it does not compute in float32: exp(30) came out as ${values[0]} (expected ${expected.toPrecision(8)}, relative error ${worst.toPrecision(3)} > 1e-5)`;
    }
    return null;
  } finally {
    probe.dispose();
  }
}

/**
 * The adapter of the active WebGPU backend: the device's `adapterInfo` where the browser (or Dawn) provides it,
 * else the vendor and architecture tfjs-backend-webgpu kept (`backend.adapterInfo`). `undefined` on other backends.
 * @internal
 */
export function activeWebgpuInfo(): WebgpuInfo | undefined {
  if (getBackend() !== 'webgpu') return undefined;
  const b = backend() as {
    device?: { adapterInfo?: AdapterInfoLike };
    adapterInfo?: AdapterInfoLike;
  };
  const full = b.device?.adapterInfo;
  const kept = b.adapterInfo;
  const info: WebgpuInfo = {
    vendor: full?.vendor ?? kept?.vendor ?? '',
    architecture: full?.architecture ?? kept?.architecture ?? '',
  };
  if (full?.description) info.description = full.description;
  if (typeof full?.isFallbackAdapter === 'boolean') info.isFallbackAdapter = full.isFallbackAdapter;
  return info;
}
