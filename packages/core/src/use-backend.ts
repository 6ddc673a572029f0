import { env, scalar, version_core } from '@tensorflow/tfjs-core';
import {
  BACKEND_NAMES,
  BACKEND_PACKAGES,
  type BackendName,
  isNotFound,
  isRegistered,
  messageOf,
} from './backend-runtime.js';
import { checkKeys } from './check-keys.js';
import { DAWN_PACKAGE, DAWN_RANGE, installDawn } from './dawn.js';
import { BackendError, ValueError } from './errors.js';
import type { BackendFallback, BackendSelection, SelectBackendOptions } from './select-backend.js';
import { DEFAULT_SELECT_BACKEND_OPTIONS, selectBackend } from './select-backend.js';

/** What {@link useBackend} takes: a backend, or `'auto'` for the best one available. */
export type UseBackendName = BackendName | 'auto';

/** Options of {@link useBackend}: the WebGL requirements of {@link SelectBackendOptions}. */
export type UseBackendOptions = SelectBackendOptions;

const OPTION_KEYS = Object.keys(DEFAULT_SELECT_BACKEND_OPTIONS);

/** The command that installs `name`'s package, at the version range of the tfjs-core in use. */
export function installCommand(name: BackendName): string {
  return `npm install ${BACKEND_PACKAGES[name]}@^${version_core}`;
}

function isNode(): boolean {
  return env().getBool('IS_NODE');
}

/**
 * In Node, imports the backend package `pkg` (which registers `name` as a side effect). Returns `null` when
 * `name` is registered afterwards, else the reason, naming the package to install. For `'webgpu'`, Dawn's
 * Node bindings (`dawnPkg`, the optional peer `webgpu`) provide `navigator.gpu` first (see `installDawn`).
 * @internal
 */
export async function importBackendPackage(
  name: BackendName,
  pkg: string = BACKEND_PACKAGES[name],
  dawnPkg: string = DAWN_PACKAGE,
): Promise<string | null> {
  if (name === 'webgl') {
    return `WebGL works only in a browser (${pkg} registers only there); in Node use 'wasm' or 'cpu'`;
  }
  if (name === 'webgpu') {
    const reason = await installDawn(dawnPkg);
    if (reason != null) return reason;
  }
  try {
    await import(/* @vite-ignore */ pkg);
  } catch (err) {
    if (isNotFound(err, pkg)) return `${pkg} is not installed: run \`npm install ${pkg}@^${version_core}\``;
    return `${pkg} could not be loaded: ${messageOf(err)}`;
  }
  if (isRegistered(name)) return null;
  if (name === 'webgpu') {
    return `${pkg} was loaded before navigator.gpu existed, so it registered no 'webgpu' backend: call useBackend('webgpu') before anything imports ${pkg}`;
  }
  return `${pkg} was loaded but registered no '${name}' backend (is it built for the same @tensorflow/tfjs-core ${version_core}?)`;
}

/** Why `name` is unavailable in a browser, where a backend is registered only by the application's import. */
function browserReason(name: BackendName): string {
  const pkg = BACKEND_PACKAGES[name];
  return `not registered: run \`npm install ${pkg}@^${version_core}\` and add \`import '${pkg}';\` to your application`;
}

/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" on its first write in Node.
 * tfjs's supported switch for its console output is the `PROD` flag (`tf.enableProdMode()`, read by tfjs-core's
 * `log.warn`); it is set only around that first write, so every later tfjs warning still shows.
 */
function writeQuietly(): void {
  const flags = env();
  const prod = flags.getBool('PROD');
  flags.set('PROD', true);
  try {
    scalar(0).dispose();
  } finally {
    flags.set('PROD', prod);
  }
}

/**
 * Gets a TensorFlow.js backend ready in one call, or says exactly what is missing:
 *
 * 1. `name` is used when it is registered (the application imported its package); in Node, when it is not,
 *    its package is imported here if it is installed (`'auto'`: `'wasm'`, then `'cpu'`; in a browser `'auto'`
 *    chooses among the registered `'webgpu'`, `'webgl'`, `'wasm'`, `'cpu'`, in that order). `'webgpu'` in Node is
 *    optional: it runs on Dawn's Node bindings (`npm install webgpu`), set up here as `navigator.gpu` before
 *    `@tensorflow/tfjs-backend-webgpu` is imported; `'auto'` never picks it in Node;
 * 2. it is activated and initialised, `tf.ready()` is awaited, a WebGL backend is checked for float32
 *    rendering and a WebGPU one for an adapter and float32 results (see {@link selectBackend}; `options` as there);
 * 3. in Node, tfjs's "install tfjs-node" banner of the cpu backend is not printed.
 *
 * Resolves with the {@link BackendSelection} (`name`, {@link describeBackend} `info`, the `fallbacks` passed over).
 * @throws {BackendError} naming the package to install (`npm install @tensorflow/tfjs-backend-wasm@^4.22.0`) when
 *   it is missing, or the reason the backend cannot start (WebGL in Node, no float32 rendering, no WebGPU adapter,
 *   a .wasm file that cannot be fetched, ...); the previously active backend stays active.
 * @throws {ValueError} for an unknown backend name or option.
 * @example
 * import { useBackend } from '@latentlab/core';
 * const { name, info } = await useBackend('wasm'); // 'wasm', { name: 'wasm', wasm: { simd: true, threads: false } }
 * // Node with a GPU (npm install webgpu @tensorflow/tfjs-backend-webgpu):
 * // await useBackend('webgpu'); // info.webgpu: { vendor: 'nvidia', architecture: 'hopper', ... }
 */
export async function useBackend(
  name: UseBackendName = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendSelection> {
  const fn = 'useBackend';
  checkKeys(fn, 'options', options, OPTION_KEYS);
  if (name !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new ValueError(
      fn,
      'name is not a backend Latentlab knows',
      `one of ${[...BACKEND_NAMES, 'auto'].map((n) => `'${n}'`).join(', ')}`,
      typeof name === 'string' ? `'${name}'` : String(name),
    );
  }
  const node = isNode();
  const wanted: BackendName[] = name !== 'auto' ? [name] : node ? ['wasm', 'cpu'] : [...BACKEND_NAMES];
  const missing: BackendFallback[] = [];
  let candidates = wanted.filter((b) => isRegistered(b));
  if (candidates.length === 0) {
    for (const backend of wanted) {
      const reason = node ? await importBackendPackage(backend) : browserReason(backend);
      if (reason === null) {
        candidates = [backend];
        break;
      }
      missing.push({ backend, reason });
    }
  }
  if (candidates.length === 0) {
    throw new BackendError(
      fn,
      name === 'auto' ? 'no backend is available' : `backend '${name}' is not available`,
      wanted
        .map((b) => `'${b}' (${installCommand(b)}${b === 'webgpu' && node ? ` ${DAWN_PACKAGE}@${DAWN_RANGE}` : ''})`)
        .join(' or '),
      missing.map((m) => `${m.backend}: ${m.reason}`).join('; '),
    );
  }
  let selection: BackendSelection;
  try {
    selection = await selectBackend(candidates, options);
  } catch (err) {
    if (!(err instanceof BackendError)) throw err;
    const wasmHint =
      !node && candidates.includes('wasm')
        ? " (in a browser the wasm backend fetches its .wasm files: call setWasmPaths from '@tensorflow/tfjs-backend-wasm' first)"
        : '';
    throw new BackendError(
      fn,
      `backend ${candidates.map((b) => `'${b}'`).join(', ')} cannot start`,
      err.expected,
      [...missing.map((m) => `${m.backend}: ${m.reason}`), err.found].join('; ') + wasmHint,
    );
  }
  if (selection.name === 'cpu' && node) writeQuietly();
  return { ...selection, fallbacks: [...missing, ...selection.fallbacks] };
}
