import { type DataType, engine, getBackend, Tensor, tensor, Variable, variable } from '@tensorflow/tfjs-core';
import { activateBackend, assertBackendName, type BackendName } from './backend-runtime.js';
import { BackendError, ValueError } from './errors.js';

/** Model state moved by {@link switchBackend}: named tensors and `tf.Variable`s (a Variable is a Tensor). */
export type BackendState = Record<string, Tensor>;

interface Snapshot {
  values: ArrayLike<number> | string[];
  shape: number[];
  dtype: DataType;
  variable: { name: string; trainable: boolean } | null;
}

function assertState(state: unknown): asserts state is BackendState {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new ValueError(
      'switchBackend',
      'state must be a record of named tensors',
      '{ [name]: tf.Tensor | tf.Variable }',
      Array.isArray(state) ? 'an array' : String(state),
    );
  }
  for (const [key, value] of Object.entries(state)) {
    // tfjs's Tensor defines Symbol.hasInstance by shape, so tensors of any tfjs-core copy pass.
    if (!(value instanceof Tensor)) {
      throw new ValueError('switchBackend', `state.${key} is not a tensor`, 'a tf.Tensor or tf.Variable', typeof value);
    }
    if (value.isDisposed) {
      throw new ValueError('switchBackend', `state.${key} is disposed`, 'a live tensor', 'a disposed tensor');
    }
  }
}

/** Copies a tensor's values out of whichever backend holds it (a copy: the cpu backend hands out its own array). */
async function snapshot(t: Tensor): Promise<Snapshot> {
  const data = await t.data();
  return {
    values: Array.isArray(data) ? [...(data as string[])] : (data as Float32Array).slice(),
    shape: [...t.shape],
    dtype: t.dtype,
    variable: t instanceof Variable ? { name: t.name, trainable: t.trainable } : null,
  };
}

function recreate({ values, shape, dtype, variable: v }: Snapshot): Tensor {
  const t = tensor(values as Float32Array, shape, dtype);
  if (v == null) return t;
  const created = variable(t, v.trainable, v.name, dtype); // shares t's data (ref-counted)
  t.dispose();
  return created;
}

/**
 * Makes `name` the active backend and moves `state` to it deliberately:
 *
 * 1. every value of `state` is read (copied) from the backend that holds it;
 * 2. `name` is activated; if that fails a {@link BackendError} is thrown and `state` is left untouched,
 *    still valid on the previous backend, which stays active;
 * 3. the old tensors are disposed and recreated on `name` with the same values (bit for bit), shape and dtype;
 *    a `tf.Variable` is recreated as a Variable with the same name and `trainable` flag.
 *
 * Returns the new state under the same keys (one new tensor per distinct old tensor). The tensor count is the
 * same afterwards. When `name` is active already and holds every tensor, `state` itself is returned; tensors left
 * on another backend by an earlier `tf.setBackend` are moved like the rest.
 *
 * Why: `tf.setBackend` disposes nothing; each old tensor migrates lazily on its first use through a synchronous
 * read (tfjs-core `engine.ts` `moveData`), which on WebGL stalls the GPU pipeline mid-training. Tensors not
 * passed in `state` still migrate that way.
 *
 * @example
 * import '@tensorflow/tfjs-backend-cpu';
 * const w = tf.variable(tf.randomNormal([784, 20]), true, 'encoder/w');
 * const { w: moved } = await switchBackend('cpu', { w });
 * moved.name; // 'encoder/w' — `w` is now disposed
 */
export async function switchBackend<S extends BackendState = Record<string, never>>(
  name: BackendName,
  state?: S,
): Promise<S> {
  assertBackendName('switchBackend', 'name', name);
  if (state !== undefined) assertState(state);
  const entries = Object.entries(state ?? {});

  // Nothing to do when the target is active and initialised and already holds every tensor.
  const target = engine().registry[name];
  const holds = (t: Tensor) => engine().state.tensorInfo.get(t.dataId)?.backend === target;
  if (getBackend() === name && target != null && entries.every(([, t]) => holds(t))) return (state ?? {}) as S;

  // 1. Read everything first: a failure later must not have destroyed anything.
  const distinct = [...new Set(entries.map(([, t]) => t))];
  const snapshots = await Promise.all(distinct.map(snapshot));

  // 2. Activate the target; on failure the old state is intact and the old backend active again.
  const from = getBackend();
  const reason = await activateBackend(name);
  if (reason != null) {
    throw new BackendError(
      'switchBackend',
      `cannot switch from '${from}' to '${name}' (the state was left on '${from}')`,
      'a registered backend that initialises',
      reason,
    );
  }

  // 3. Dispose before recreating, so a Variable's name is free to be registered again.
  distinct.forEach((t) => {
    t.dispose();
  });
  const moved = new Map<Tensor, Tensor>(distinct.map((t, i) => [t, recreate(snapshots[i]!)]));
  return Object.fromEntries(entries.map(([key, t]) => [key, moved.get(t)!])) as S;
}
