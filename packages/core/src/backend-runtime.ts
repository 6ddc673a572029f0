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
import { shareWasmIdentity } from './wasm-identity.js';
import { float32Shortfall, webgpuShortfall } from './webgpu-adapter.js';

/** The TensorFlow.js backends Latentlab runs and tests on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Every {@link BackendName}, in the default order of preference (fastest first). */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu'] as const);

/** The package that registers each backend, for the "import it to register it" hint. @internal */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = Object.freeze({
  webgpu: '@tensorflow/tfjs-backend-webgpu',
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
 * WebGL registers itself only in a browser (tfjs-backend-webgl `base.ts` checks `device_util.isBrowser()`), WebGPU
 * only where `navigator.gpu` exists when it is imported (tfjs-backend-webgpu `base.ts`, `isWebGPUSupported()`).
 * @internal
 */
export function notRegisteredReason(name: BackendName): string {
  const where =
    name === 'webgl'
      ? '; it registers only in a browser'
      : name === 'webgpu'
        ? "; it registers only where navigator.gpu exists: a browser with WebGPU, or Node after useBackend('webgpu') set up the optional 'webgpu' package"
        : '';
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

/** Is `err` "this package is not installed" (Node's ERR_MODULE_NOT_FOUND, or a bundler's unresolved import)? @internal */
export function isNotFound(err: unknown, pkg: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  const message = messageOf(err);
  return message.includes(pkg) && /cannot find|failed to (load|resolve)|not found/i.test(message);
}

/**
 * Puts `previous` back as the active backend after `name` failed (it is already initialised, so that cannot fail),
 * or, when nothing was active before, forgets `name` so the engine picks the best backend on next use.
 */
async function restoreBackend(name: BackendName, previous: string | null): Promise<void> {
  if (previous != null && previous !== name && engine().registry[previous] != null) {
    await setBackend(previous);
  } else {
    (engine() as { backendName: string | null }).backendName = previous;
  }
}

/**
 * Makes `name` the active backend. Returns `null` on success, or the reason it failed.
 *
 * `tf.setBackend` reports a failed initialisation only as `false` (the cause goes to `console.warn`), and it
 * leaves the engine pointing at the failed backend with no instance. So while `setBackend` runs, the
 * registered factory is wrapped to capture the error it throws or rejects with, and on failure the previously
 * active backend is set again (it is already initialised, so that cannot fail).
 *
 * WebGPU is checked first for an adapter (tfjs's factory would fail on a `null` adapter with a bare TypeError) and,
 * once active, for float32 arithmetic ({@link float32Shortfall}); either shortfall is the reason.
 * @internal
 */
export async function activateBackend(name: BackendName): Promise<string | null> {
  const entry = engine().registryFactory[name];
  if (entry == null) return notRegisteredReason(name);
  // `getBackend()` reads the engine's current name without initialising anything (null before first use).
  const previous: string | null = getBackend() ?? null;
  const fresh = engine().registry[name] == null;
  if (name === 'webgpu' && fresh) {
    const shortfall = await webgpuShortfall();
    if (shortfall != null) return shortfall;
  }

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
  if (ok) {
    if (name === 'wasm') shareWasmIdentity(); // clones by reference, as on cpu and webgl (wasm-identity.ts)
    const shortfall = name === 'webgpu' && fresh ? await float32Shortfall() : null;
    if (shortfall == null) return null;
    await restoreBackend(name, previous);
    return shortfall;
  }

  await restoreBackend(name, previous);
  return failed
    ? `failed to initialise: ${messageOf(cause)}`
    : 'failed to initialise (tfjs gave no reason; see the console)';
}
