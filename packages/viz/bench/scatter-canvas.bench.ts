// 10 000 labelled points drawn on a Canvas in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from '@latentlab/vitest-config';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { expect, it } from 'vitest';
import { median, ms } from './stats.js';

const BENCHMARKS = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RUNS = 25;
const load = loadavg()[0]!.toFixed(1);

async function bundle(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('./canvas-entry.ts', import.meta.url)), formats: ['iife'], name: 'vizBench' },
    },
  });
  const first = Array.isArray(out) ? out[0] : out;
  const chunk = (first as { output: { type: string; code?: string }[] }).output.find((o) => o.type === 'chunk');
  if (!chunk?.code) throw new Error('bundle failed');
  return chunk.code;
}

it('10 000 labelled points on a Canvas in Chromium', async () => {
  const code = await bundle();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><canvas id="c" width="640" height="480"></canvas>');
    await page.addScriptTag({ content: code });
    const timings = await page.evaluate((runs) => {
      type Viz = {
        syntheticLatents: (n: number, o: object) => { codes: Float32Array; labels: Uint8Array; classNames: string[] };
        latentScatter: (o: object) => unknown;
        renderCanvas: (spec: unknown, ctx: CanvasRenderingContext2D) => void;
      };
      const viz = (globalThis as unknown as { viz: Viz }).viz;
      const { codes, labels, classNames } = viz.syntheticLatents(10_000, { seed: 1 });
      const ctx = (document.getElementById('c') as HTMLCanvasElement).getContext('2d')!;
      const spec: number[] = [];
      const draw: number[] = [];
      for (let run = 0; run < runs + 3; run++) {
        const t0 = performance.now();
        const plot = viz.latentScatter({ codes, dim: 2, labels, classNames });
        const t1 = performance.now();
        viz.renderCanvas(plot, ctx);
        ctx.getImageData(0, 0, 1, 1); // forces the canvas to finish rasterising
        const t2 = performance.now();
        if (run < 3) continue;
        spec.push(t1 - t0);
        draw.push(t2 - t1);
      }
      return { spec, draw };
    }, RUNS);
    const total = timings.spec.map((s, i) => s + timings.draw[i]!);
    const body = `| step | median of ${RUNS} runs |
| --- | --- |
| spec (\`latentScatter\`: extents, scales, colours) | ${ms(median(timings.spec))} |
| draw (\`renderCanvas\` + \`getImageData\` flush) | ${ms(median(timings.draw))} |
| **total** (goal < 50 ms) | **${ms(median(total))}** |

Chromium ${browser.version()} headless, \`${chromiumArgs.slice(0, 4).join(' ')}\`. Load average at start: ${load} (the 2 cores are shared).`;
    writeBenchmarkSection(
      BENCHMARKS,
      'Latent scatter on Canvas in Chromium (10 000 points)',
      'pnpm --filter @latentlab/viz bench',
      body,
    );
    console.log(body);
    expect(median(total)).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
});
