import { benchConfig } from '@latentlab/vitest-config/bench';
import { defineConfig } from 'vitest/config';

export default defineConfig(benchConfig({ setupFiles: ['../../tooling/vitest/setup/wasm.ts'] }));
