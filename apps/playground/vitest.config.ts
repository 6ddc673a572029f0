import { defineConfig } from 'vitest/config';

// The end-to-end suite: Chromium (playwright-core) drives the built app served by `vite preview`.
export default defineConfig({
  test: {
    name: 'playground:e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
