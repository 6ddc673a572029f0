import { benchConfig } from '@latentlab/vitest-config/bench';
import { defineConfig } from 'vitest/config';

// `pnpm bench`: trains in headless Chromium against the built app; figures go to BENCHMARKS.md.
export default defineConfig(benchConfig({ include: ['bench/**/*.bench.ts'] }));
