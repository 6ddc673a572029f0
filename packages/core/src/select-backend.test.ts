import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_NAMES, type BackendName } from './backend-runtime.js';
import { BackendError, ValueError } from './errors.js';
import { DEFAULT_SELECT_BACKEND_OPTIONS, selectBackend, webglShortfall } from './select-backend.js';
import { assertNoLeaks } from './testing/index.js';

const original = tf.getBackend() as BackendName;
const registered = (name: string) => tf.findBackendFactory(name) != null;
/**
 * A backend name no package has registered in this project (webgl in Node, wasm or webgl in Chromium). Not webgpu:
 * a stand-in registered under it would meet the adapter check before its factory runs (tested on its own below).
 */
function unregisteredName(): BackendName {
  const name = BACKEND_NAMES.find((n) => n !== 'webgpu' && !registered(n));
  expect(name, 'this project should leave at least one backend unregistered').toBeDefined();
  return name!;
}

/** A backend that computes: the engine must be usable after a failed attempt (read asynchronously, as on webgpu). */
async function expectWorkingBackend(name: string) {
  expect(tf.getBackend()).toBe(name);
  const sum = tf.add(tf.scalar(2), tf.scalar(3));
  expect((await sum.data())[0]).toBe(5);
  tf.dispose(sum);
}

afterEach(async () => {
  await tf.setBackend(original);
  expect(tf.getBackend()).toBe(original);
});

describe('selectBackend', () => {
  it('by default picks the first registered of webgpu, webgl, wasm, cpu, saying why the ones before were skipped', async () => {
    // Before anything else in this file registers another backend: each project registers only its own.
    const before = BACKEND_NAMES.slice(0, BACKEND_NAMES.indexOf(original));
    before.forEach((n) => {
      expect(registered(n)).toBe(false);
    });
    const selection = await assertNoLeaks(() => selectBackend());
    expect(selection.name).toBe(original);
    expect(selection.info.name).toBe(original);
    expect(selection.fallbacks.map((f) => f.backend)).toEqual(before);
    selection.fallbacks.forEach(({ backend, reason }) => {
      expect(reason).toContain(`not registered (import '@tensorflow/tfjs-backend-${backend}' to register it`);
    });
  });

  it('falls back past an unregistered preference, with the reason', async () => {
    const missing = unregisteredName();
    const selection = await selectBackend([missing, original]);
    expect(selection).toMatchObject({ name: original, info: { name: original } });
    expect(selection.fallbacks).toEqual([
      { backend: missing, reason: expect.stringContaining(`import '@tensorflow/tfjs-backend-${missing}'`) },
    ]);
    await expectWorkingBackend(original);
  });

  it('throws a BackendError listing every reason when no preference works, keeping the active backend', async () => {
    const missing = unregisteredName();
    const err = await selectBackend([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ fn: 'selectBackend', expected: `one of '${missing}'` });
    expect((err as BackendError).found).toContain(`${missing}: not registered`);
    expect((err as BackendError).message).toMatch(/^Error in selectBackend: /);
    await expectWorkingBackend(original);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('simulated: no device');
      },
    ],
    ['rejects', () => Promise.reject(new Error('simulated: no device'))],
    ['rejects with a plain object', () => Promise.reject({ message: 'simulated: no device' })],
  ])('skips a backend whose factory %s, quoting its message', async (_, factory) => {
    const broken = unregisteredName();
    tf.registerBackend(broken, factory as unknown as () => tf.KernelBackend);
    // A stand-in registered under a real name has none of the real package's flags: skip the WebGL capability check.
    const options = { requireFloat32Rendering: false };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // tfjs logs the failure too
    try {
      const selection = await selectBackend([broken, original], options);
      expect(selection.name).toBe(original);
      expect(selection.fallbacks).toEqual([{ backend: broken, reason: 'failed to initialise: simulated: no device' }]);
      const err = await selectBackend([broken], options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as BackendError).found).toBe(`${broken}: failed to initialise: simulated: no device`);
      await expectWorkingBackend(original);
      expect(tf.engine().registry[broken]).toBeUndefined(); // nothing half-initialised was kept
    } finally {
      warn.mockRestore();
      tf.removeBackend(broken);
    }
  });

  it('rejects an empty, unknown or repeated preference with a ValueError, before touching the engine', async () => {
    await expect(selectBackend([])).rejects.toThrow(ValueError);
    const unknown = await selectBackend(['cpu', 'gpu' as BackendName]).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValueError);
    expect(unknown).toMatchObject({
      fn: 'selectBackend',
      expected: "one of 'webgpu', 'webgl', 'wasm', 'cpu'",
      found: "'gpu'",
    });
    expect((unknown as ValueError).message).toContain('preferences[1]');
    await expect(selectBackend([original, original])).rejects.toThrow(/twice/);
    await expect(selectBackend('cpu' as unknown as BackendName[])).rejects.toThrow(ValueError);
    expect(tf.getBackend()).toBe(original);
  });

  it('states the WebGL shortfall against the options', () => {
    const defaults = { ...DEFAULT_SELECT_BACKEND_OPTIONS };
    expect(defaults).toEqual({ requireWebgl2: false, requireFloat32Rendering: true });
    expect(webglShortfall(0, false, defaults)).toMatch(/unavailable/);
    expect(webglShortfall(2, false, defaults)).toMatch(/float32 rendering is required/);
    expect(webglShortfall(1, true, defaults)).toBeNull();
    expect(webglShortfall(1, true, { ...defaults, requireWebgl2: true })).toMatch(/WebGL2 is required .* WebGL1/);
    expect(webglShortfall(2, false, { requireWebgl2: true, requireFloat32Rendering: false })).toBeNull();
    expect(webglShortfall(2, true, { requireWebgl2: true, requireFloat32Rendering: true })).toBeNull();
  });

  it('skips WebGL when it misses a required capability', async () => {
    if (original !== 'webgl') {
      // Node: WebGL never registers (tfjs-backend-webgl registers only in a browser); the reason says so.
      const selection = await selectBackend(['webgl', original], { requireWebgl2: true });
      expect(selection.name).toBe(original);
      expect(selection.fallbacks[0]?.reason).toMatch(/not registered .* it registers only in a browser/);
      return;
    }
    // Chromium (WebGL2, float32): pretend the device lacks float32 rendering, then WebGL2, through tfjs's flags.
    await import('@tensorflow/tfjs-backend-cpu');
    const flags = tf.env();
    const float32 = flags.getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    const version = flags.getNumber('WEBGL_VERSION');
    try {
      flags.set('WEBGL_RENDER_FLOAT32_ENABLED', false);
      let selection = await selectBackend(['webgl', 'cpu']);
      expect(selection.name).toBe('cpu');
      expect(selection.fallbacks).toEqual([{ backend: 'webgl', reason: expect.stringMatching(/float32 rendering/) }]);
      selection = await selectBackend(['webgl', 'cpu'], { requireFloat32Rendering: false });
      expect(selection.name).toBe('webgl');
      flags.set('WEBGL_RENDER_FLOAT32_ENABLED', float32);
      flags.set('WEBGL_VERSION', 1);
      selection = await selectBackend(['webgl', 'cpu'], { requireWebgl2: true });
      expect(selection.name).toBe('cpu');
      expect(selection.fallbacks[0]?.reason).toMatch(/WebGL2 is required/);
    } finally {
      flags.set('WEBGL_RENDER_FLOAT32_ENABLED', float32);
      flags.set('WEBGL_VERSION', version);
    }
    const selection = await selectBackend(['webgl'], { requireWebgl2: true, requireFloat32Rendering: true });
    expect(selection).toMatchObject({ name: 'webgl', fallbacks: [], info: { webgl: { version: 2 } } });
  });
});
