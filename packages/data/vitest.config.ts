import { packageTestConfig } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: packageTestConfig({ name: 'data', backends: ['cpu', 'wasm', 'webgl', 'webgpu'] }),
});
