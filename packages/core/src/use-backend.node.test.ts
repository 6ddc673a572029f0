import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, ValueError } from './errors.js';
import { importBackendPackage, installCommand, useBackend } from './use-backend.js';

// Runs in Node on the cpu and wasm projects; each test puts the project's backend back.
let original: string;
beforeEach(() => {
  original = tf.getBackend();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await tf.setBackend(original);
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('useBackend in Node', () => {
  it.each(['cpu', 'wasm'] as const)("makes '%s' active and ready, importing its package if needed", async (name) => {
    const { name: active, info } = await useBackend(name);
    expect(active).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(info.name).toBe(name);
    if (name === 'wasm') expect(typeof info.wasm?.simd).toBe('boolean');
    // The backend computes right away (no "backend has not yet been initialized").
    const sum = tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)));
    expect(await sum.data()).toEqual(new Float32Array([5]));
    sum.dispose();
  });

  it("'auto' keeps to what is registered (the project's backend)", async () => {
    const { name } = await useBackend('auto');
    expect(['wasm', 'cpu']).toContain(name);
    expect(tf.findBackendFactory(name)).not.toBeNull();
  });

  it("rejects 'webgl' with a BackendError saying it works only in a browser; the backend stays", async () => {
    const err = await rejection(useBackend('webgl'));
    expect(err).toBeInstanceOf(BackendError);
    expect(err.message).toContain('Error in useBackend');
    expect(err.message).toContain('only in a browser');
    expect(err.message).toContain(installCommand('webgl'));
    expect(tf.getBackend()).toBe(original);
  });

  it('names the package to install when it is missing', async () => {
    const pkg = '@tensorflow/tfjs-backend-latentlab-missing';
    const reason = await importBackendPackage('wasm', pkg);
    expect(reason).toBe(`${pkg} is not installed: run \`npm install ${pkg}@^${tf.version_core}\``);
    expect(installCommand('wasm')).toBe(`npm install @tensorflow/tfjs-backend-wasm@^${tf.version_core}`);
  });

  it('rejects unknown names and options with a ValueError that suggests the closest', async () => {
    await expect(useBackend('gpu' as never)).rejects.toThrow(ValueError);
    await expect(useBackend('gpu' as never)).rejects.toThrow(/'webgl', 'wasm', 'cpu', 'auto'/);
    const err = await rejection(useBackend('cpu', { requireWebGl2: true } as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toContain("did you mean 'requireWebgl2'?");
  });

  it("hides the cpu backend's install-tfjs-node banner, and only it", async () => {
    // A fresh cpu backend instance prints the banner on its first write; register one under 'cpu' anew.
    if (!tf.findBackendFactory('cpu')) await import('@tensorflow/tfjs-backend-cpu');
    const factory = tf.findBackendFactory('cpu');
    expect(factory).not.toBeNull();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const banner = () => warn.mock.calls.filter((args) => String(args[0]).includes('looks like you are running'));

    // Control: a fresh instance used directly prints the banner (so the check below can fail).
    tf.registerBackend('cpu-banner-control', factory!);
    await tf.setBackend('cpu-banner-control');
    tf.scalar(1).dispose();
    expect(banner()).toHaveLength(1);
    await tf.setBackend(original);
    tf.removeBackend('cpu-banner-control');

    if (original === 'cpu')
      tf.removeBackend('cpu'); // the project's instance has written already
    else if (tf.findBackendFactory('cpu')) tf.removeBackend('cpu');
    tf.registerBackend('cpu', factory!);
    warn.mockClear();
    await useBackend('cpu');
    tf.scalar(1).dispose();
    expect(banner()).toHaveLength(0);
    expect(tf.env().getBool('PROD')).toBe(false); // the switch was put back
  });
});
