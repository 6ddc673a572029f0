import { env, getBackend, ready } from '@tensorflow/tfjs-core';
import { activeWebgpuInfo, type WebgpuInfo } from './webgpu-adapter.js';

export type { WebgpuInfo } from './webgpu-adapter.js';

/** What the WebAssembly backend can use in this environment (tfjs-backend-wasm `flags_wasm.ts`). */
export interface WasmInfo {
  /** 128-bit SIMD instructions validate (`WASM_HAS_SIMD_SUPPORT`): the SIMD build of the backend is loaded. */
  simd: boolean;
  /**
   * Threads are available (`WASM_HAS_MULTITHREAD_SUPPORT`: SharedArrayBuffer, i.e. a cross-origin-isolated page).
   * Always false in Node, where tfjs does not use threads.
   */
  threads: boolean;
}

/** What the WebGL backend found (tfjs-backend-webgl `flags_webgl.ts`). */
export interface WebglInfo {
  /** `WEBGL_VERSION`: 2 for WebGL2, 1 for WebGL1, 0 when WebGL is unavailable. */
  version: number;
  /**
   * `WEBGL_RENDER_FLOAT32_ENABLED`: textures are rendered in float32. When false, tfjs computes in float16
   * (≈ 3 significant digits, max 65504): too coarse for VAE losses, see `selectBackend`.
   */
  float32Rendering: boolean;
  /** `WEBGL_RENDER_FLOAT32_CAPABLE`: the device could render float32 (even if forced to float16). */
  float32Capable?: boolean;
  /** `WEBGL_MAX_TEXTURE_SIZE`: the largest texture side, bounding the largest tensor dimension packed per texture. */
  maxTextureSize?: number;
}

/** The active backend and the capabilities that change results or speed. */
export interface BackendInfo {
  /** The active backend's name (`tf.getBackend()`): a `BackendName` or another registered backend. */
  name: string;
  /** Present when `name` is `'wasm'`. */
  wasm?: WasmInfo;
  /** Present when `name` is `'webgl'`. */
  webgl?: WebglInfo;
  /** Present when `name` is `'webgpu'`: the adapter (vendor, architecture, description where available). */
  webgpu?: WebgpuInfo;
}

async function flagBool(name: string): Promise<boolean> {
  return Boolean(await env().getAsync(name));
}

/**
 * Describes the active TensorFlow.js backend (initialising the highest-priority registered one if none is
 * active yet, like `tf.ready()`): its name, and for WASM whether SIMD and threads are used,
 * for WebGL its version and whether it renders float32, for WebGPU the adapter (vendor, architecture, and the
 * description and fallback flag where the browser or Dawn gives them; browsers may return empty strings).
 *
 * @example
 * import '@tensorflow/tfjs-backend-wasm';
 * await tf.setBackend('wasm');
 * const info = await describeBackend(); // { name: 'wasm', wasm: { simd: true, threads: false } }
 * // On WebGPU in headless Chromium: { name: 'webgpu', webgpu: { vendor: 'google', architecture: 'swiftshader', … } }
 */
export async function describeBackend(): Promise<BackendInfo> {
  await ready();
  const name = getBackend();
  const info: BackendInfo = { name };
  if (name === 'wasm') {
    const [simd, threads] = await Promise.all([
      flagBool('WASM_HAS_SIMD_SUPPORT'),
      flagBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    ]);
    info.wasm = { simd, threads };
  } else if (name === 'webgl') {
    const flags = env();
    info.webgl = {
      version: flags.getNumber('WEBGL_VERSION'),
      float32Rendering: flags.getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      float32Capable: flags.getBool('WEBGL_RENDER_FLOAT32_CAPABLE'),
      maxTextureSize: flags.getNumber('WEBGL_MAX_TEXTURE_SIZE'),
    };
  } else if (name === 'webgpu') {
    const webgpu: WebgpuInfo | undefined = activeWebgpuInfo();
    if (webgpu != null) info.webgpu = webgpu;
  }
  return info;
}
