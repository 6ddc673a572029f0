import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeBackend } from './describe-backend.js';
import { assertNoLeaks } from './testing/index.js';

// The backend this project's setup file activated (tooling/vitest: env LATENTLAB_TEST_BACKEND).
// Node sees it in process.env, Chromium in import.meta.env.
const projectBackend =
  (import.meta as unknown as { env?: Record<string, string | undefined> }).env?.LATENTLAB_TEST_BACKEND ??
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.LATENTLAB_TEST_BACKEND;

// A minimal module using a SIMD instruction (i8x16.splat + i8x16.popcnt), as wasm-feature-detect probes it:
// an independent check of what tfjs's WASM_HAS_SIMD_SUPPORT flag reports.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// Core compiles without the DOM lib, which is where TypeScript declares WebAssembly.
const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };

interface Gl {
  MAX_TEXTURE_SIZE: number;
  getParameter(p: number): unknown;
  getExtension(name: string): unknown;
}
/** A fresh WebGL2 context made by the test itself (core compiles without the DOM lib, hence the local types). */
function probeWebgl2(): Gl | null {
  const doc = (globalThis as { document?: { createElement(tag: string): { getContext(id: string): unknown } } })
    .document;
  return (doc?.createElement('canvas').getContext('webgl2') as Gl | null) ?? null;
}

/** The adapter info a fresh request gives (an independent look at what the backend's adapter reports). */
async function probeAdapterInfo(): Promise<{ vendor: string; architecture: string; description: string } | null> {
  type Adapter = { info: { vendor: string; architecture: string; description: string } };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(o?: object): Promise<Adapter | null> } } })
    .navigator?.gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  return adapter?.info ?? null;
}

describe('describeBackend', () => {
  it('reports the active backend, the one the project set up', async () => {
    const info = await assertNoLeaks(() => describeBackend());
    expect(projectBackend).toMatch(/^(cpu|wasm|webgl|webgpu)$/);
    expect(info.name).toBe(projectBackend);
    expect(info.name).toBe(tf.getBackend());
  });

  it('reports the capabilities of that backend, and only of it', async () => {
    const info = await describeBackend();
    if (info.name === 'cpu') {
      expect(info.wasm).toBeUndefined();
      expect(info.webgl).toBeUndefined();
      expect(info.webgpu).toBeUndefined();
    } else if (info.name === 'wasm') {
      expect(info.webgl).toBeUndefined();
      expect(info.webgpu).toBeUndefined();
      // This Node (20) validates SIMD modules; tfjs never uses threads in Node (flags_wasm.ts checks IS_NODE).
      expect(WebAssembly.validate(SIMD_PROBE)).toBe(true);
      expect(info.wasm).toEqual({ simd: true, threads: false });
    } else if (info.name === 'webgpu') {
      expect(info.wasm).toBeUndefined();
      expect(info.webgl).toBeUndefined();
      const probe = await probeAdapterInfo();
      expect(probe).not.toBeNull();
      expect(info.webgpu?.vendor).toBe(probe!.vendor);
      expect(info.webgpu?.architecture).toBe(probe!.architecture);
      // The test project runs Chromium's SwiftShader adapter (webgpuChromiumArgs).
      expect(info.webgpu?.architecture).toBe('swiftshader');
      if (info.webgpu?.description !== undefined) expect(info.webgpu.description).toBe(probe!.description);
    } else {
      expect(info.name).toBe('webgl');
      expect(info.wasm).toBeUndefined();
      const gl = probeWebgl2();
      expect(gl).not.toBeNull();
      expect(info.webgl?.version).toBe(2);
      expect(info.webgl?.float32Rendering).toBe(true);
      // Rendering to float32 textures needs EXT_color_buffer_float on WebGL2.
      expect(info.webgl?.float32Capable).toBe(gl!.getExtension('EXT_color_buffer_float') != null);
      expect(info.webgl?.maxTextureSize).toBe(gl!.getParameter(gl!.MAX_TEXTURE_SIZE));
      expect(info.webgl?.maxTextureSize).toBeGreaterThanOrEqual(2048); // WebGL2's guaranteed minimum
    }
  });
});
