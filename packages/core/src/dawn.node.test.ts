import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_PACKAGES } from './backend-runtime.js';
import { DAWN_PACKAGE, DAWN_RANGE, installDawn } from './dawn.js';
import { BackendError } from './errors.js';
import { importBackendPackage, useBackend } from './use-backend.js';

// WebGPU in Node through Dawn's Node bindings (the optional peer `webgpu`, a devDependency here). On a machine with
// no GPU driver Dawn finds no adapter (this CI machine has no libvulkan.so.1), and useBackend must say so; where Dawn
// finds one (a GPU, or SwiftShader's Vulkan: LD_LIBRARY_PATH=/usr/lib/chromium
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json), the backend must start and compute.
const g = globalThis as { navigator?: unknown };
const hadNavigator = 'navigator' in g;
const original = tf.getBackend();

beforeEach(async () => {
  await tf.setBackend(original);
});
afterAll(async () => {
  await tf.setBackend(original);
  if (!hadNavigator) delete g.navigator;
});

/** Whether Dawn finds an adapter here, asked through Dawn directly (independently of core's code path). */
async function dawnHasAdapter(): Promise<boolean> {
  const { create } = (await import(DAWN_PACKAGE)) as {
    create(flags: string[]): { requestAdapter(o?: object): Promise<unknown> };
  };
  return (await create([]).requestAdapter({ powerPreference: 'high-performance' })) != null;
}

describe("WebGPU in Node (Dawn's bindings)", () => {
  it('names the optional package to install when Dawn is missing', async () => {
    const missing = 'webgpu-latentlab-missing';
    expect(await installDawn(missing)).toBe(
      `Dawn's Node bindings (${missing}) are not installed: WebGPU in Node is optional; run \`npm install ${missing}@${DAWN_RANGE} ${BACKEND_PACKAGES.webgpu}@^${tf.version_core}\``,
    );
    // importBackendPackage passes that reason on and imports nothing.
    const reason = await importBackendPackage('webgpu', BACKEND_PACKAGES.webgpu, missing);
    expect(reason).toContain(`Dawn's Node bindings (${missing}) are not installed`);
    expect(tf.findBackendFactory('webgpu')).toBeNull();
  });

  it("useBackend('webgpu') starts on Dawn's adapter, or throws a BackendError saying there is none", async () => {
    const hasAdapter = await dawnHasAdapter();
    const attempt = await useBackend('webgpu').catch((e: unknown) => e);
    // Whichever way, navigator.gpu came from Dawn and tfjs-backend-webgpu registered on it.
    expect((g.navigator as { gpu?: unknown } | undefined)?.gpu).toBeDefined();
    expect(tf.findBackendFactory('webgpu')).not.toBeNull();
    if (!hasAdapter) {
      expect(attempt).toBeInstanceOf(BackendError);
      expect((attempt as BackendError).message).toContain('Error in useBackend');
      expect((attempt as BackendError).found).toMatch(
        /no WebGPU adapter: navigator\.gpu\.requestAdapter\(\) returned null/,
      );
      expect(tf.getBackend()).toBe(original); // the previous backend stays active
      return;
    }
    expect(attempt).toMatchObject({ name: 'webgpu', info: { name: 'webgpu' } });
    const { info } = attempt as Awaited<ReturnType<typeof useBackend>>;
    expect(typeof info.webgpu?.vendor).toBe('string');
    expect(typeof info.webgpu?.architecture).toBe('string');
    // Computes in float32, read asynchronously (dataSync needs OffscreenCanvas, which Node lacks).
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.exp(x);
    const values = await y.data();
    [1, 2, 3].forEach((v, i) => {
      expect(Math.abs(values[i]! - Math.exp(v)) / Math.exp(v)).toBeLessThan(1e-6);
    });
    tf.dispose([x, y]);
  });
});
