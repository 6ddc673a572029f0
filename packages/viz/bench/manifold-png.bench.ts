// A 20 × 20 manifold of 28 × 28 images, from decoded pixels to a PNG file on disk (Node, resvg).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { expect, it } from 'vitest';
import { dimsPlane, latentManifold, manifoldCodes, toyDecode } from '../src/index.js';
import { renderPng } from '../src/node/index.js';
import { median, ms } from './stats.js';

const BENCHMARKS = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RUNS = 25;

it('20 × 20 manifold of 28 × 28 images → PNG file', async () => {
  // The decoder is the user's model: decode once up front so only @latentlab/viz is timed.
  const images = toyDecode(manifoldCodes(dimsPlane(2), 20, { spacing: 'gaussian' }).codes);
  const decode = () => images;
  const dir = mkdtempSync(join(tmpdir(), 'viz-bench-'));
  const spec: number[] = [];
  const png: number[] = [];
  const total: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS + 3; run++) {
    const t0 = performance.now();
    const plot = await latentManifold({ decode, imageShape: [28, 28], latentDim: 2, n: 20, spacing: 'gaussian' });
    const t1 = performance.now();
    const data = renderPng(plot);
    writeFileSync(join(dir, 'manifold.png'), data);
    const t2 = performance.now();
    bytes = data.length;
    if (run < 3) continue; // warm-up
    spec.push(t1 - t0);
    png.push(t2 - t1);
    total.push(t2 - t0);
  }
  rmSync(dir, { recursive: true });
  const body = `| step | median of ${RUNS} runs |
| --- | --- |
| grid + tile composition (\`latentManifold\`, decoder excluded) | ${ms(median(spec))} |
| SVG → PNG (\`renderPng\`, resvg) + write file | ${ms(median(png))} |
| **total** (goal < 50 ms) | **${ms(median(total))}** |

The PNG is ${(bytes / 1024).toFixed(0)} KiB.`;
  writeBenchmarkSection(
    BENCHMARKS,
    'Manifold PNG in Node (20 × 20 tiles of 28 × 28)',
    'pnpm --filter @latentlab/viz bench',
    body,
  );
  console.log(body);
  expect(median(total)).toBeGreaterThan(0);
});
