import { sourceConditions } from '@latentlab/vitest-config';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Cross-origin isolation (SharedArrayBuffer, hence WASM threads) needs both headers on every response. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Every response of both servers says its Content-Type is the truth (`nosniff`): a data file, a `.wasm` binary or
 * a JSON response is never run as a script or rendered as HTML because its bytes look like one.
 */
export const noSniffHeader = { 'X-Content-Type-Options': 'nosniff' };

/**
 * Content-Security-Policy of the built app (`vite preview` / `start`; the dev server injects inline scripts for
 * hot reload, so it goes without). Scripts come only from this origin; 'wasm-unsafe-eval' lets the WASM backend
 * compile its binaries; `blob:` is for the threaded WASM backend, which starts its pthread workers from a blob
 * URL and loads its Emscripten factory into them from another (`importScripts`). The favicon is a `data:` URL.
 * 'unsafe-eval' is for regl (under regl-scatterplot, the latent explorer's renderer), which compiles its draw
 * commands with `Function(...)` at run time; inline scripts stay blocked (no 'unsafe-inline').
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob: 'unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the `@latentlab/source` condition), so the app
  // builds from a fresh clone without building the libraries first.
  ...sourceConditions,
  plugins: [react()],
  server: { headers: { ...isolationHeaders, ...noSniffHeader } },
  preview: { headers: { ...isolationHeaders, ...noSniffHeader, 'Content-Security-Policy': contentSecurityPolicy } },
  // The worker chunk is minified without compression, keeping the name `_scriptDir`: the threaded WASM backend
  // starts its pthread workers from `factory.toString()` of its Emscripten factory, whose only outside variable is
  // `_scriptDir` (declared around the factory). Renaming it, or compressing `typeof _scriptDir` (which assumes the
  // variable is declared), breaks those workers ("_scriptDir is not defined"). 2.7 MB → 1.6 MB.
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        minify: { mangle: { reserved: ['_scriptDir'] }, compress: false, codegen: { removeWhitespace: true } },
      },
    },
  },
  // Pre-bundle tfjs in one pass (dev), so the backends and tfjs-core share one engine.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  build: {
    // The e2e suite builds into and serves dist-e2e/ (PLAYGROUND_OUT_DIR), apart from a concurrent `build` task.
    outDir: process.env.PLAYGROUND_OUT_DIR ?? 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 3000,
    assetsInlineLimit: 0,
  },
});
