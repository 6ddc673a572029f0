/**
 * WebGPU in Node through Dawn's Node bindings (npm `webgpu`, an optional peer dependency): tfjs-backend-webgpu
 * registers itself only where `navigator.gpu` exists when it is imported, so {@link installDawn} creates one from
 * Dawn first (`import { create, globals } from 'webgpu'`; the WebGPU constants such as `GPUBufferUsage` become
 * globals and `navigator.gpu = create([])`).
 */
import { version_core } from '@tensorflow/tfjs-core';
import { isNotFound, messageOf } from './backend-runtime.js';
import { type GpuLike, navigatorGpu } from './webgpu-adapter.js';

/** The npm package of Dawn's Node bindings, and the range Latentlab is tested with. */
export const DAWN_PACKAGE = 'webgpu';
export const DAWN_RANGE = '^0.6.2';

/** The parts of the `webgpu` package's exports used here. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/**
 * In Node, makes `navigator.gpu` a Dawn GPU (unless one exists already). Returns `null` when `navigator.gpu`
 * exists afterwards, else the reason, naming the package to install. Whether Dawn finds an adapter is checked
 * later, when the backend is activated (`requestAdapter()` may return `null` on a machine without a GPU driver).
 * @internal
 * @example
 * const reason = await installDawn(); // null, or "Dawn's Node bindings (webgpu) are not installed: …"
 */
export async function installDawn(pkg: string = DAWN_PACKAGE): Promise<string | null> {
  if (navigatorGpu() != null) return null;
  let dawn: DawnModule;
  try {
    dawn = (await import(/* @vite-ignore */ pkg)) as DawnModule;
  } catch (err) {
    if (isNotFound(err, pkg)) {
      return `Dawn's Node bindings (${pkg}) are not installed: WebGPU in Node is optional; run \`npm install ${pkg}@${DAWN_RANGE} @tensorflow/tfjs-backend-webgpu@^${version_core}\``;
    }
    return `${pkg} (Dawn's Node bindings) could not be loaded: ${messageOf(err)}`;
  }
  if (typeof dawn.create !== 'function' || typeof dawn.globals !== 'object' || dawn.globals === null) {
    return `${pkg} does not export create() and globals (expected Dawn's Node bindings ${DAWN_RANGE})`;
  }
  const g = globalThis as unknown as Record<string, unknown> & { navigator?: object };
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in g)) g[key] = value;
  }
  let gpu: GpuLike;
  try {
    gpu = dawn.create([]);
  } catch (err) {
    return `${pkg}: create() failed: ${messageOf(err)}`;
  }
  if (g.navigator == null) {
    g.navigator = { gpu };
  } else {
    // Node ≥ 21 has a global `navigator` (without `gpu`).
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
  }
  return null;
}
