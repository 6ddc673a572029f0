// A 20 × 20 manifold of 28 × 28 images, from decoded pixels to a PNG file on disk (Node, resvg).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { expect, it } from 'vitest';
import { dimsPlane, latentManifold, manifoldCodes, toyDecode } from '../src/index.js';
import { renderPng } from '../src/node/index.js';
import { median, ms } from './stats.js';

const BENCHMARKS = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RUNS = 25;
const load = loadavg()[0]!.toFixed(1);

it('20 × 20 manifold of 28 × 28 images → PNG file', async () => {
  // The decoder is the user's model: decode once up front so only @latentlab/viz is timed.
  const images = toyDecode(manifoldCodes(dimsPlane(2), 20, { spacing: 'gaussian' }).codes);
  const decode = () => images;
  const dir = mkdtempSync(join(tmpdir(), 'viz-bench-'));
  const spec: number[] = [];
  const png: number[] = [];
  const total: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let a previous bench's Chromium finish closing
  for (let run = 0; run < RUNS + 3; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plot = await latentManifold({ decode, imageShape: [28, 28], latentDim: 2, n: 20, spacing: 'gaussian' });
    const t1 = performance.now();
    const data = renderPng(plot);
    writeFileSync(join(dir, 'manifold.png'), data);
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    bytes = data.length;
    if (run < 3) continue; // warm-up
    spec.push(t1 - t0);
    png.push(t2 - t1);
    total.push(t2 - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  rmSync(dir, { recursive: true });
  const body = `| step | median of ${RUNS} runs |
| --- | --- |
| grid + tile composition (\`latentManifold\`, decoder excluded) | ${ms(median(spec))} |
| SVG → PNG (\`renderPng\`, resvg) + write file | ${ms(median(png))} |
| **total** (goal < 50 ms) | **${ms(median(total))}** |
| CPU time of this process for the total (robust to other load) | ${ms(median(cpu))} |

The PNG is ${(bytes / 1024).toFixed(0)} KiB. Load average at start: ${load} (the 2 cores are shared).`;
  writeBenchmarkSection(
    BENCHMARKS,
    'Manifold PNG in Node (20 × 20 tiles of 28 × 28)',
    'pnpm --filter @latentlab/viz bench',
    body,
  );
  console.log(body);
  expect(median(total)).toBeGreaterThan(0);
});
