import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

// The CLI is Node-only: its tests run on the two Node backends it ships with. `--workers` runs models'
// trainInWorkers from source in-process, whose worker threads start from a bundle of models' sources: models'
// test setup writes it (no build of models needed, never stale).
export default defineConfig({
  test: {
    ...packageTestConfig({ name: 'cli', backends: ['cpu', 'wasm'] }),
    globalSetup: ['../models/scripts/bundle-worker.mjs'],
  },
});
