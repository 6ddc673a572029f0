import { benchConfig } from '@latentlab/vitest-config/bench';
import { defineConfig } from 'vitest/config';

// `npx vitest run --config vitest.bench.config.ts`: bench/*.bench.ts once each, in Node, on the wasm backend.
export default defineConfig(benchConfig({ setupFiles: ['../../tooling/vitest/setup/wasm.ts'] }));
