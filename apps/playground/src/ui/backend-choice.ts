/**
 * The backend choice on the page, in one module: the labels of the backends the worker can start
 * (`BACKEND_CHOICES` in protocol.ts, fastest first: WebGPU, WebGL, WASM-SIMD, CPU) and the one asked for in the URL
 * (`?backend=webgpu|webgl|wasm|cpu`). Without one the worker picks the default (`startBackend` in
 * worker/backends.ts: the first of that order that works on a hardware GPU, else WASM-SIMD).
 */
import { BACKEND_CHOICES, type BackendChoice } from '../protocol.js';

export const BACKEND_LABELS: Readonly<Record<BackendChoice, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM-SIMD',
  cpu: 'CPU',
};

/** The label of a backend name the worker reported (its own name when it is not one of ours). */
export function backendLabel(name: string): string {
  return (BACKEND_LABELS as Record<string, string>)[name] ?? name;
}

/**
 * The backend `?backend=` asks for, or null (the worker's default) when it names none of ours.
 *
 * @example
 * initialBackend('?backend=webgpu'); // 'webgpu'
 * initialBackend(''); // null
 */
export function initialBackend(search: string): BackendChoice | null {
  const asked = new URLSearchParams(search).get('backend') ?? '';
  return (BACKEND_CHOICES as readonly string[]).includes(asked) ? (asked as BackendChoice) : null;
}

/** WASM threads unless `?threads=0`. */
export function threadsWanted(search: string): boolean {
  return new URLSearchParams(search).get('threads') !== '0';
}
