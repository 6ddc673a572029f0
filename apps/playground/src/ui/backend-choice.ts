/**
 * The backend choice on the page, in one module: the labels of the backends the worker can start
 * (`BACKEND_CHOICES` in protocol.ts) and the one asked for in the URL (`?backend=webgl|wasm|cpu`, default WASM).
 */
import { BACKEND_CHOICES, type BackendChoice } from '../protocol.js';

export const BACKEND_LABELS: Readonly<Record<BackendChoice, string>> = {
  wasm: 'WASM-SIMD',
  webgl: 'WebGL',
  cpu: 'CPU',
};

/** The label of a backend name the worker reported (its own name when it is not one of ours). */
export function backendLabel(name: string): string {
  return (BACKEND_LABELS as Record<string, string>)[name] ?? name;
}

/** The backend `?backend=` asks for, or WASM-SIMD. */
export function initialBackend(search: string): BackendChoice {
  const asked = new URLSearchParams(search).get('backend') ?? '';
  return (BACKEND_CHOICES as readonly string[]).includes(asked) ? (asked as BackendChoice) : 'wasm';
}

/** WASM threads unless `?threads=0`. */
export function threadsWanted(search: string): boolean {
  return new URLSearchParams(search).get('threads') !== '0';
}
