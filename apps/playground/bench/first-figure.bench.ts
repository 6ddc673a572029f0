/**
 * What a visitor waits for: from navigation to the first meaningful figure (the shipped VAE's latent scatter,
 * drawn before anything trains), the bytes the page and its workers fetched by then (Resource Timing
 * `encodedBodySize`: bodies as they came over the wire), and the main thread's long tasks (≥ 50 ms, the browser's
 * `longtask` entries) until then, and when Train is enabled (the training rows are in). A fresh browser context per
 * run (no HTTP or service-worker cache), median of RUNS.
 *
 * Side by side: FIRST_FIGURE_BEFORE=<folder> also serves an earlier build (e.g. `npx vite build --outDir dist-before`
 * at an earlier commit, named by FIRST_FIGURE_BEFORE_LABEL) and measures both in turns, one run of each at a time.
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { comparedBuilds, type Harness } from '../e2e/harness.js';

const RUNS = 3;
/** The build measured, and the earlier one it is compared with (when FIRST_FIGURE_BEFORE names one). */
const { builds, before: BEFORE, commandPrefix } = comparedBuilds('FIRST_FIGURE_BEFORE');
const BEFORE_LABEL = process.env.FIRST_FIGURE_BEFORE_LABEL ?? BEFORE;

/** Body bytes of every resource the page (and each of its workers) fetched so far, with the page's own HTML. */
async function fetchedBytes(page: Page): Promise<{ bytes: number; files: number }> {
  const sum = () => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ] as PerformanceResourceTiming[];
    return entries.map((e) => e.encodedBodySize);
  };
  const sizes = [...(await page.evaluate(sum))];
  for (const worker of page.workers()) sizes.push(...(await worker.evaluate(sum)));
  return { bytes: sizes.reduce((s, b) => s + b, 0), files: sizes.length };
}

interface Measured {
  ms: number;
  /** When Train was enabled (the training rows loaded), from the navigation's start. */
  trainMs: number;
  bytes: number;
  files: number;
  longTasks: number[];
}

async function measure(h: Harness): Promise<Measured> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const long: number[] = [];
    (globalThis as { __longTasks?: number[] }).__longTasks = long;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(h.url);
  // The first figure: the scatter's canvas has been drawn at least once; its time is taken in the page, from
  // the navigation's start (performance.now()).
  const handle = await page.waitForFunction(
    () => {
      const drawn = Number(document.querySelector('[data-testid="plot-scatter"]')?.getAttribute('data-draws') ?? 0);
      return drawn > 0 ? performance.now() : 0;
    },
    undefined,
    { timeout: 300_000, polling: 50 },
  );
  const ms = Math.round((await handle.jsonValue()) as number);
  const longTasks = await page.evaluate(() => [...((globalThis as { __longTasks?: number[] }).__longTasks ?? [])]);
  const { bytes, files } = await fetchedBytes(page);
  const train = await page.waitForFunction(
    () => {
      const button = document.querySelector('[data-testid="train"]') as HTMLButtonElement | null;
      return button && !button.disabled ? performance.now() : 0;
    },
    undefined,
    { timeout: 300_000, polling: 50 },
  );
  const trainMs = Math.round((await train.jsonValue()) as number);
  await context.close();
  return { ms, trainMs, bytes, files, longTasks };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** One table row: medians of the runs (the bytes of the median-time run), every run in brackets. */
function row(label: string, runs: Measured[], load: string): string {
  const ms = runs.map((m) => m.ms);
  const trainMs = runs.map((m) => m.trainMs);
  const mb = runs.map((m) => (m.bytes / 1e6).toFixed(2));
  const longest = runs.map((m) => Math.round(Math.max(0, ...m.longTasks)));
  const counts = runs.map((m) => m.longTasks.length);
  const cells = [
    `${median(ms)} (${ms.join(', ')})`,
    `${mb[ms.indexOf(median(ms))]} (${mb.join(', ')})`,
    `${runs[0]!.files}`,
    `${median(trainMs)} (${trainMs.join(', ')})`,
    counts.join(', '),
    longest.join(', '),
    load,
  ];
  return `| ${[...(BEFORE ? [label] : []), ...cells].join(' | ')} |`;
}

it('measures the time to the first figure, the bytes loaded by then and the long tasks on the way', async () => {
  const load = loadavg()[0]!.toFixed(1);
  const runs = builds.map((): Measured[] => []);
  for (let r = 0; r < RUNS; r++) for (const [i, { h }] of builds.entries()) runs[i]!.push(await measure(h));
  for (const m of runs.flat()) {
    expect(m.ms).toBeGreaterThan(0);
    expect(m.trainMs).toBeGreaterThan(0);
    // At least the shipped models' weights (≈ 0.8 MB for the VAE alone) came over the wire.
    expect(m.bytes).toBeGreaterThan(800_000);
  }
  const head = [
    'first figure ms',
    'MB fetched',
    'files',
    'Train enabled ms',
    'long tasks ≥ 50 ms',
    'longest task ms',
    'load',
  ];
  if (BEFORE) head.unshift('build');
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'First load: time to the first figure',
    `${commandPrefix}pnpm --filter @latentlab/playground exec vitest run --config vitest.bench.config.ts bench/first-figure.bench.ts`,
    [
      'From navigation to the first meaningful figure (the shipped VAE’s latent scatter, drawn before anything',
      'trains), the body bytes the page and its workers had fetched by then (Resource Timing `encodedBodySize`,',
      'MB = 10⁶ bytes), when Train was enabled (the training rows loaded) and the main thread’s long tasks until the',
      'first figure (`longtask` entries, ≥ 50 ms). Built app served by `vite preview` on localhost, default backend,',
      `1280 × 800; a fresh browser context per run (no cache, no service worker); median of ${RUNS} (all runs in`,
      'brackets). Load: 1-minute load average before the runs.',
      ...(BEFORE
        ? [
            '',
            `Side by side with the build of ${BEFORE_LABEL} (\`FIRST_FIGURE_BEFORE\`, built with \`npx vite build --outDir`,
            `${BEFORE}\` there), one run of each in turn. Since #17 the first figure waits only for MNIST’s test split`,
            '(1.6 MB); the training split (9.6 MB) is fetched after it, and Train is enabled once it is in.',
          ]
        : []),
      '',
      `| ${head.join(' | ')} |`,
      `|${' --- |'.repeat(head.length)}`,
      ...builds.map(({ label }, i) => row(label, runs[i]!, load)),
    ].join('\n'),
  );
});
