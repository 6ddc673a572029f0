import { env } from '@tensorflow/tfjs-core';
import {
  activateBackend,
  assertBackendName,
  BACKEND_NAMES,
  type BackendName,
  isRegistered,
  notRegisteredReason,
} from './backend-runtime.js';
import { type BackendInfo, describeBackend } from './describe-backend.js';
import { BackendError, ValueError } from './errors.js';

/**
 * Requirements a WebGL backend must meet to be selected. (WebGPU and WASM/CPU compute in float32 by
 * construction; WebGPU is still checked for an adapter and, once created, for float32 results.)
 */
export interface SelectBackendOptions {
  /** Skip WebGL unless it is WebGL2 (`WEBGL_VERSION` 2). Default false. */
  requireWebgl2?: boolean;
  /**
   * Skip WebGL unless it renders float32 textures (`WEBGL_RENDER_FLOAT32_ENABLED`). Default true: on float16
   * textures exp(30) overflows (max 65504) and a Bernoulli NLL on logits of ±30 becomes Infinity.
   */
  requireFloat32Rendering?: boolean;
}

/** The frozen defaults of {@link SelectBackendOptions}. */
export const DEFAULT_SELECT_BACKEND_OPTIONS: Readonly<Required<SelectBackendOptions>> = Object.freeze({
  requireWebgl2: false,
  requireFloat32Rendering: true,
});

/** A preference that was passed over, and why. */
export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

/** The result of {@link selectBackend}. */
export interface BackendSelection {
  /** The backend now active. */
  name: BackendName;
  /** {@link describeBackend} of it. */
  info: BackendInfo;
  /** The preferences tried before it, in order, each with the reason it was skipped. */
  fallbacks: BackendFallback[];
}

function assertPreferences(preferences: unknown): asserts preferences is BackendName[] {
  if (!Array.isArray(preferences) || preferences.length === 0) {
    throw new ValueError(
      'selectBackend',
      'preferences must be a non-empty list',
      `an array of backend names such as ['webgpu', 'webgl', 'wasm', 'cpu']`,
      Array.isArray(preferences) ? '[]' : String(preferences),
    );
  }
  const seen = new Set<string>();
  preferences.forEach((name: unknown, i) => {
    assertBackendName('selectBackend', `preferences[${i}]`, name);
    if (seen.has(name)) {
      throw new ValueError('selectBackend', 'preferences lists a backend twice', 'each name once', `'${name}' again`);
    }
    seen.add(name);
  });
}

/**
 * Why WebGL falls short of `options`, read from tfjs's WebGL flags before the backend is created
 * (evaluating them probes a throw-away context; creating the backend would allocate a real one). `null` when fine.
 * @internal
 */
export function webglShortfall(
  version: number,
  float32Rendering: boolean,
  { requireWebgl2, requireFloat32Rendering }: Required<SelectBackendOptions>,
): string | null {
  if (version < 1) return 'WebGL is unavailable in this environment (WEBGL_VERSION 0)';
  if (requireWebgl2 && version < 2) return `WebGL2 is required (requireWebgl2) but this is WebGL${version}`;
  if (requireFloat32Rendering && !float32Rendering) {
    return 'float32 rendering is required (requireFloat32Rendering) but WEBGL_RENDER_FLOAT32_ENABLED is false';
  }
  return null;
}

function checkWebgl(options: Required<SelectBackendOptions>): string | null {
  if (!options.requireWebgl2 && !options.requireFloat32Rendering) return null;
  try {
    return webglShortfall(env().getNumber('WEBGL_VERSION'), env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'), options);
  } catch (err) {
    return `its capabilities could not be read: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Activates the first backend of `preferences` that is registered, initialises, and computes in float32 —
 * WebGL: meets `options` (float32 rendering by default); WebGPU: `navigator.gpu` gives an adapter and
 * `exp(30)` comes out right in float32 (float16 overflows); WASM and CPU are float32 by construction — in the
 * default order webgpu → webgl → wasm → cpu; every one passed over is reported in `fallbacks` with its reason. Meant for application start-up:
 * it calls `tf.setBackend`, which leaves existing tensors where they are, to migrate lazily on first use; move
 * model state with `switchBackend` instead.
 *
 * Core imports no backend: the application imports the ones it ships (`import '@tensorflow/tfjs-backend-wasm'`).
 *
 * Throws a {@link ValueError} for an empty list, an unknown or a repeated name, and a {@link BackendError}
 * listing every reason when none of the preferences can be used (the previously active backend stays active).
 *
 * @example
 * import '@tensorflow/tfjs-backend-wasm';
 * import '@tensorflow/tfjs-backend-cpu';
 * const { name, fallbacks } = await selectBackend(); // ['webgpu', 'webgl', 'wasm', 'cpu']
 * // In Node: name 'wasm', fallbacks [{ backend: 'webgpu', reason: "not registered (…)" }, { backend: 'webgl', … }]
 */
export async function selectBackend(
  preferences: BackendName[] = [...BACKEND_NAMES],
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  assertPreferences(preferences);
  const opts: Required<SelectBackendOptions> = { ...DEFAULT_SELECT_BACKEND_OPTIONS, ...options };
  const fallbacks: BackendFallback[] = [];
  for (const name of preferences) {
    let reason: string | null = isRegistered(name) ? null : notRegisteredReason(name);
    if (reason == null && name === 'webgl') reason = checkWebgl(opts);
    if (reason == null) reason = await activateBackend(name);
    if (reason == null) return { name, info: await describeBackend(), fallbacks };
    fallbacks.push({ backend: name, reason });
  }
  throw new BackendError(
    'selectBackend',
    'no preferred backend can be used',
    `one of ${preferences.map((n) => `'${n}'`).join(', ')}`,
    fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; '),
  );
}
