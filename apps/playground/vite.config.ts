import { sourceConditions } from '@latentlab/vitest-config';
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
  // The worker chunk is not minified: the threaded WASM backend starts its pthread workers from
  // `factory.toString()`, which breaks when a minifier renames the variables the factory closes over.
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  // Pre-bundle tfjs in one pass (dev), so the backends and tfjs-core share one engine.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
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
