import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_NAMES, type BackendName } from './backend-runtime.js';
import { BackendError, ValueError } from './errors.js';
import { switchBackend } from './switch-backend.js';
import { assertNoLeaks } from './testing/index.js';

const original = tf.getBackend() as BackendName;

/**
 * Registers a second backend to switch to: cpu, or wasm in the cpu project (both run in Node),
 * through a dynamic import, the way an application registers the backends it ships.
 */
async function partner(): Promise<BackendName> {
  if (original === 'cpu') {
    await import('@tensorflow/tfjs-backend-wasm');
    return 'wasm';
  }
  await import('@tensorflow/tfjs-backend-cpu');
  return 'cpu';
}

/** The backend instance holding a tensor's data now (tfjs-core `engine.ts` keeps it in `state.tensorInfo`). */
const holder = (t: tf.Tensor) => tf.engine().state.tensorInfo.get(t.dataId)?.backend;

/**
 * The bit patterns of a tensor's values: float32 compared through Uint32 views, so -0 and NaN count. Read
 * asynchronously: a synchronous read fails on webgpu in Node and stalls the GPU in a browser.
 */
async function bits(t: tf.Tensor): Promise<number[]> {
  const data = await t.data();
  return data instanceof Float32Array ? [...new Uint32Array(data.buffer, data.byteOffset, data.length)] : [...data];
}

const f32 = Math.fround;
// Values that a careless copy would change: -0, the smallest subnormal, float32's extremes, NaN, ±Infinity.
const SPECIAL = [0, -0, 1e-45, -f32(1.17549435e-38), f32(3.4028234e38), Number.NaN, Infinity, -Infinity];

/** Model-like state: computed tensors (their data lives on the backend), trainable and frozen Variables, int32, bool. */
function makeState() {
  return tf.tidy(() => {
    const raw = tf.tensor2d([...SPECIAL, 0.1, Math.PI, -2.5, 1 / 3], [3, 4]);
    const computed = tf.mul(tf.reshape(tf.range(0, 12), [3, 4]), f32(0.3)); // made by a kernel on this backend
    return {
      raw,
      computed,
      w: tf.variable(tf.mul(computed, -1.5), true, 'switch-test/w'),
      frozen: tf.variable(tf.tensor1d([1, 2, 3]), false, 'switch-test/frozen'),
      counts: tf.tensor1d([-7, 0, 2147483647], 'int32'),
      mask: tf.tensor1d([true, false, true], 'bool'),
    };
  });
}
type State = ReturnType<typeof makeState>;

const bitsOf = async (state: Record<string, tf.Tensor>) =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(state).map(async ([k, t]) => [k, { bits: await bits(t), shape: t.shape, dtype: t.dtype }]),
    ),
  );

afterEach(async () => {
  await tf.setBackend(original);
  expect(tf.getBackend()).toBe(original);
  tf.disposeVariables(); // a failed test must not leave 'switch-test/*' registered for the next
});

describe('switchBackend', () => {
  it('moves the state there and back bit for bit, leaking nothing', async () => {
    const other = await partner();
    const state = makeState();
    const expected = await bitsOf(state);

    const back = await assertNoLeaks(async () => {
      const there = await switchBackend(other, state);
      expect(tf.getBackend()).toBe(other);
      Object.entries(there).forEach(([key, t]) => {
        expect(state[key as keyof State].isDisposed, key).toBe(true);
        expect(holder(t), key).toBe(tf.findBackend(other)); // moved now, not lazily later
      });
      expect(await bitsOf(there)).toEqual(expected);
      return switchBackend(original, there);
    }, 0);

    expect(tf.getBackend()).toBe(original);
    expect(await bitsOf(back)).toEqual(expected);
    Object.values(back).forEach((t) => {
      expect(holder(t)).toBe(tf.findBackend(original));
    });
    tf.dispose(Object.values(back));
  });

  it('keeps Variables as Variables with their names and trainable flags, registered once', async () => {
    const other = await partner();
    const state = makeState();
    const moved = await switchBackend(other, state);
    expect(moved.w).toBeInstanceOf(tf.Variable);
    expect(moved.frozen).toBeInstanceOf(tf.Variable);
    expect(moved.raw).not.toBeInstanceOf(tf.Variable);
    expect([moved.w.name, moved.w.trainable]).toEqual(['switch-test/w', true]);
    expect([moved.frozen.name, moved.frozen.trainable]).toEqual(['switch-test/frozen', false]);
    const registered = tf.engine().registeredVariables;
    expect(registered['switch-test/w']).toBe(moved.w);
    expect(registered['switch-test/frozen']).toBe(moved.frozen);
    // The moved Variable still trains: a gradient step through an optimizer-free assign.
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(moved.w)), [moved.w]);
    const expectedGrad = (await moved.w.data()).map((x) => 2 * x); // d/dw Σ w² = 2w
    expect([...(await grads['switch-test/w']!.data())]).toEqual([...expectedGrad]);
    tf.dispose([value, ...Object.values(grads), ...Object.values(moved)]);
  });

  it('moves a tensor listed under two keys once', async () => {
    const other = await partner();
    const t = tf.tensor1d([1, 2, 3]);
    const moved = await assertNoLeaks(() => switchBackend(other, { a: t, alias: t }), 0);
    expect(moved.a).toBe(moved.alias);
    expect([...(await moved.a.data())]).toEqual([1, 2, 3]);
    moved.a.dispose();
  });

  it('without state only switches; to the active backend it returns the state itself', async () => {
    const other = await partner();
    expect(await switchBackend(other)).toEqual({});
    expect(tf.getBackend()).toBe(other);
    const t = tf.tensor1d([4, 5]);
    const same = await assertNoLeaks(() => switchBackend(other, { t }), 0);
    expect(same.t).toBe(t);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });

  it('moves tensors an earlier tf.setBackend left behind, even to the active backend', async () => {
    const other = await partner();
    await tf.setBackend(other);
    const left = tf.tensor1d([1.5, -2.5, 3]);
    await tf.setBackend(original); // tfjs moves nothing: `left` still lives on `other`
    expect(holder(left)).toBe(tf.findBackend(other));
    const { left: moved } = await assertNoLeaks(() => switchBackend(original, { left }), 0);
    expect(left.isDisposed).toBe(true);
    expect(holder(moved)).toBe(tf.findBackend(original));
    expect([...(await moved.data())]).toEqual([1.5, -2.5, 3]);
    moved.dispose();
  });

  it('leaves the state untouched and the old backend active when the new one cannot be set', async () => {
    // A backend no package registered here (webgl in Node, wasm or webgl in Chromium), then a broken stand-in
    // under it (not webgpu: its adapter check would answer before the stand-in's factory runs).
    const missing = BACKEND_NAMES.find((n) => n !== 'webgpu' && tf.findBackendFactory(n) == null);
    expect(missing).toBeDefined();
    const state = makeState();
    const expected = await bitsOf(state);
    const before = tf.memory().numTensors;

    const unregistered = await switchBackend(missing!, state).catch((e: unknown) => e);
    expect(unregistered).toBeInstanceOf(BackendError);
    expect(unregistered).toMatchObject({ fn: 'switchBackend', found: expect.stringMatching(/^not registered/) });

    tf.registerBackend(missing!, async () => {
      throw new Error('simulated: context lost');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // tfjs logs the failure too
    try {
      const failed = await switchBackend(missing!, state).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(BackendError);
      expect((failed as BackendError).found).toBe('failed to initialise: simulated: context lost');
      expect((failed as BackendError).message).toContain(`the state was left on '${original}'`);
    } finally {
      warn.mockRestore();
      tf.removeBackend(missing!);
    }
    expect(tf.getBackend()).toBe(original);
    expect(tf.memory().numTensors).toBe(before);
    Object.values(state).forEach((t) => {
      expect(t.isDisposed).toBe(false);
      expect(holder(t)).toBe(tf.findBackend(original));
    });
    expect(await bitsOf(state)).toEqual(expected);
    tf.dispose(Object.values(state));
  });

  it('rejects an unknown backend, a non-tensor or a disposed tensor with a ValueError, changing nothing', async () => {
    const t = tf.tensor1d([1]);
    const gone = tf.tensor1d([2]);
    gone.dispose();
    await expect(switchBackend('gpu' as BackendName, { t })).rejects.toMatchObject({
      name: 'ValueError',
      fn: 'switchBackend',
      found: "'gpu'",
    });
    await expect(switchBackend('cpu', { t, x: [1, 2] as unknown as tf.Tensor })).rejects.toThrow(
      /state\.x is not a tensor/,
    );
    await expect(switchBackend('cpu', { t, gone })).rejects.toThrow(ValueError);
    await expect(switchBackend('cpu', [t] as unknown as Record<string, tf.Tensor>)).rejects.toThrow(ValueError);
    expect(tf.getBackend()).toBe(original);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
});
