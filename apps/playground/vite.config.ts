import { sourceConditions, tfjsOptimizeDeps } from '@latentlab/vitest-config';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Cross-origin isolation (SharedArrayBuffer, hence WASM threads) needs both headers on every response. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the `@latentlab/source` condition), so the app
  // builds from a fresh clone without building the libraries first.
  ...sourceConditions,
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: tfjsOptimizeDeps,
  build: { target: 'es2022', chunkSizeWarningLimit: 1500, assetsInlineLimit: 0 },
});
