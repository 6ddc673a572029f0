import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...packageTestConfig({ name: 'models' }),
    // trainInWorkers starts its workers from a bundle of the sources under test (no build needed, never stale).
    globalSetup: ['./scripts/bundle-worker.mjs'],
  },
});
