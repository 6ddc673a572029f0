import { benchConfig } from '@latentlab/vitest-config/bench';
import { defineConfig } from 'vitest/config';

// Both Node backends are registered; the wasm setup runs last, so wasm is the default.
export default defineConfig(
  benchConfig({ setupFiles: ['../../tooling/vitest/setup/cpu.ts', '../../tooling/vitest/setup/wasm.ts'] }),
);
