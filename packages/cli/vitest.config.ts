import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

// The CLI is Node-only: its tests run on the two Node backends it ships with.
export default defineConfig({
  test: packageTestConfig({ name: 'cli', backends: ['cpu', 'wasm'] }),
});
