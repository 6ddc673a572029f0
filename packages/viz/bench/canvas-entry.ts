// Bundled into the Chromium page by scatter-canvas.bench.ts.
import { latentScatter, renderCanvas, syntheticLatents } from '../src/index.js';

(globalThis as unknown as { viz: unknown }).viz = { latentScatter, renderCanvas, syntheticLatents };
