import { sourceConditions } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    projects: [
      {
        // The app's own logic that needs no page (real tfjs backends in Node), on the workspace's sources.
        ...sourceConditions,
        test: { name: 'playground:unit', include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 300_000 },
      },
      {
        // The end-to-end suite: Chromium (playwright-core) drives the built app served by `vite preview`. Its
        // waits end on the app's progress and fail when it stalls (STALL_MS in e2e/harness.ts); the test timeout
        // is only a last resort for a machine so loaded that a test makes progress yet never ends.
        test: {
          name: 'playground:e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 1_200_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
