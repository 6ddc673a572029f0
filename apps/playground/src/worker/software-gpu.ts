/**
 * Whether the GPU behind WebGPU or WebGL is a software renderer — SwiftShader (Chromium's CPU fallback), Mesa's
 * llvmpipe / softpipe, Microsoft's WARP ("Microsoft Basic Render Driver") — so that the default backend is not one
 * that runs every kernel on the CPU through a GPU API. Measured in the playground bench (BENCHMARKS.md, headless
 * Chromium, VAE 784-400-2 at batch 128), both are several times slower than WASM-SIMD: the default skips them and
 * says why; `?backend=webgpu` or `?backend=webgl` (or the picker) still starts them.
 */

/** Renderer names of software GPUs (matched case-insensitively in the adapter's or renderer's strings). */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|lavapipe|microsoft basic render|\bwarp\b/i;

/** The parts of WebGPU's `GPUAdapterInfo` read here (`isFallbackAdapter` where the browser has it). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * The software renderer a description names, or null when it names none.
 *
 * @example
 * softwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)'); // 'SwiftShader'
 * softwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 Direct3D11 vs_5_0 ps_5_0)'); // null
 */
export function softwareRenderer(description: string): string | null {
  return SOFTWARE_RENDERERS.exec(description)?.[0] ?? null;
}

/**
 * Why a WebGPU adapter is a software one (its `isFallbackAdapter` flag, or a software renderer in its vendor,
 * architecture or description), or null for a hardware adapter.
 *
 * @example
 * webgpuSoftwareReason({ vendor: 'google', architecture: 'swiftshader' }); // 'a software adapter (google swiftshader)…'
 * webgpuSoftwareReason({ vendor: 'nvidia', architecture: 'ampere' }); // null
 */
export function webgpuSoftwareReason(info: AdapterInfoLike): string | null {
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  if (info.isFallbackAdapter !== true && softwareRenderer(name) === null) return null;
  const flag = info.isFallbackAdapter === true ? ', isFallbackAdapter' : '';
  return `a software adapter (${name || 'unnamed'}${flag}): it computes on the CPU, slower than WASM-SIMD here; choose it to use it anyway`;
}

/** Why a WebGL renderer is a software one, or null for a hardware renderer. */
export function webglSoftwareReason(renderer: string): string | null {
  return softwareRenderer(renderer) === null
    ? null
    : `a software renderer (${renderer}): it computes on the CPU, slower than WASM-SIMD here; choose it to use it anyway`;
}

/** The adapter `navigator.gpu` gives (as tfjs-backend-webgpu asks for it), or null when there is none. */
export async function webgpuAdapterInfo(): Promise<AdapterInfoLike | null> {
  type Adapter = { info?: AdapterInfoLike; isFallbackAdapter?: boolean };
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(o: object): Promise<Adapter | null> } }).gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (adapter == null) return null;
  // GPUAdapterInfo's fields are getters (a spread copies none). Chromium moved `isFallbackAdapter` from the adapter
  // to its info (Chrome 136): read either.
  const { vendor, architecture, description, isFallbackAdapter } = adapter.info ?? {};
  return { vendor, architecture, description, isFallbackAdapter: isFallbackAdapter ?? adapter.isFallbackAdapter };
}

/**
 * The WebGL renderer's name (unmasked through `WEBGL_debug_renderer_info` where the browser allows it), from a
 * throw-away 1×1 WebGL2 context that is released at once; null when there is no WebGL2 here.
 */
export function webglRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return null;
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
