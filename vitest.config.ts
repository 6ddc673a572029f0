import { defineConfig } from 'vitest/config';

// Each package owns its projects (cpu, wasm, webgl); the root only lists them.
export default defineConfig({
  test: { projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'] },
});
