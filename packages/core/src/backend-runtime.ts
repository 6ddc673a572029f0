/**
 * Shared machinery of the backend runtime ({@link selectBackend}, {@link describeBackend}, {@link switchBackend}):
 * the backend names core knows, their validation, and activating a backend with a stated reason on failure.
 *
 * Core never imports a backend package: the application imports (registers) the backends it ships, and
 * core chooses among the registered ones at run time (tfjs-core `engine.ts`: `registerBackend`,
 * `findBackendFactory`, `setBackend`).
 */
import { engine, findBackendFactory, getBackend, setBackend } from '@tensorflow/tfjs-core';
import { ValueError } from './errors.js';

/** The TensorFlow.js backends Latentlab runs and tests on. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** Every {@link BackendName}, in the default order of preference (fastest first). */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['webgl', 'wasm', 'cpu'] as const);

/** The package that registers each backend, for the "import it to register it" hint. @internal */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = Object.freeze({
  webgl: '@tensorflow/tfjs-backend-webgl',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
});

/** Type guard: is `name` one of {@link BACKEND_NAMES}? */
export function isBackendName(name: unknown): name is BackendName {
  return typeof name === 'string' && (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * Throws a {@link ValueError} naming `fn` unless `name` is a {@link BackendName}.
 * @internal
 */
export function assertBackendName(fn: string, argName: string, name: unknown): asserts name is BackendName {
  if (!isBackendName(name)) {
    throw new ValueError(
      fn,
      `${argName} is not a backend Latentlab knows`,
      `one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}`,
      typeof name === 'string' ? `'${name}'` : String(name),
    );
  }
}

/**
 * Why `name` cannot be used because it is not registered, with the import that registers it.
 * WebGL registers itself only in a browser (tfjs-backend-webgl `base.ts` checks `device_util.isBrowser()`).
 * @internal
 */
export function notRegisteredReason(name: BackendName): string {
  const where = name === 'webgl' ? '; it registers only in a browser' : '';
  return `not registered (import '${BACKEND_PACKAGES[name]}' to register it${where})`;
}

/** Is a factory for `name` registered with tfjs (whether or not it has been initialised)? @internal */
export function isRegistered(name: string): boolean {
  return findBackendFactory(name) != null;
}

/** The message of a thrown value (an Error, a plain `{ message }` object, or anything else). @internal */
export function messageOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  // The wasm backend rejects with a plain `{ message }` object when its .wasm file cannot be fetched.
  if (typeof cause === 'object' && cause !== null && 'message' in cause) return String(cause.message);
  return String(cause);
}

/**
 * Makes `name` the active backend. Returns `null` on success, or the reason it failed.
 *
 * `tf.setBackend` reports a failed initialisation only as `false` (the cause goes to `console.warn`), and it
 * leaves the engine pointing at the failed backend with no instance. So while `setBackend` runs, the
 * registered factory is wrapped to capture the error it throws or rejects with, and on failure the previously
 * active backend is set again (it is already initialised, so that cannot fail).
 * @internal
 */
export async function activateBackend(name: BackendName): Promise<string | null> {
  const entry = engine().registryFactory[name];
  if (entry == null) return notRegisteredReason(name);
  // `getBackend()` reads the engine's current name without initialising anything (null before first use).
  const previous: string | null = getBackend() ?? null;

  let cause: unknown;
  let failed = false;
  const original = entry.factory;
  entry.factory = () => {
    try {
      const made = original();
      if (made != null && typeof (made as { then?: unknown }).then === 'function') {
        return Promise.resolve(made).catch((err: unknown) => {
          failed = true;
          cause = err;
          throw err;
        });
      }
      return made;
    } catch (err) {
      failed = true;
      cause = err;
      throw err;
    }
  };
  let ok = false;
  try {
    ok = await setBackend(name);
  } catch (err) {
    failed = true;
    cause ??= err;
  } finally {
    entry.factory = original;
  }
  if (ok) return null;

  if (previous != null && previous !== name && engine().registry[previous] != null) {
    await setBackend(previous);
  } else {
    // Nothing was active before: forget the failed name so the engine picks the best backend on next use.
    (engine() as { backendName: string | null }).backendName = previous;
  }
  return failed
    ? `failed to initialise: ${messageOf(cause)}`
    : 'failed to initialise (tfjs gave no reason; see the console)';
}
