import { benchConfig } from '@latentlab/vitest-config/bench';
import { defineConfig } from 'vitest/config';

// `pnpm bench`: bench/*.bench.ts run once each in Node (the Canvas benchmark drives Chromium itself).
export default defineConfig(benchConfig());
