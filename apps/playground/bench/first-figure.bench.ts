/**
 * What a visitor waits for: from navigation to the first meaningful figure (the shipped VAE's latent scatter,
 * drawn before anything trains), the bytes the page and its workers fetched by then (Resource Timing
 * `encodedBodySize`: bodies as they came over the wire), and the main thread's long tasks (≥ 50 ms, the browser's
 * `longtask` entries) until then. A fresh browser context per run (no HTTP or service-worker cache), median of RUNS.
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from '../e2e/harness.js';

const RUNS = 3;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

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
  bytes: number;
  files: number;
  longTasks: number[];
}

async function measure(): Promise<Measured> {
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
  await context.close();
  return { ms, bytes, files, longTasks };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

it('measures the time to the first figure, the bytes loaded by then and the long tasks on the way', async () => {
  const load = loadavg()[0]!.toFixed(1);
  const runs: Measured[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await measure());
  for (const m of runs) {
    expect(m.ms).toBeGreaterThan(0);
    // At least the shipped models' weights (≈ 0.8 MB for the VAE alone) came over the wire.
    expect(m.bytes).toBeGreaterThan(800_000);
  }
  const ms = runs.map((m) => m.ms);
  const mb = runs.map((m) => (m.bytes / 1e6).toFixed(2));
  const longest = runs.map((m) => Math.round(Math.max(0, ...m.longTasks)));
  const counts = runs.map((m) => m.longTasks.length);
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'First load: time to the first figure',
    'pnpm --filter @latentlab/playground exec vitest run --config vitest.bench.config.ts bench/first-figure.bench.ts',
    [
      'From navigation to the first meaningful figure (the shipped VAE’s latent scatter, drawn before anything',
      'trains), the body bytes the page and its workers had fetched by then (Resource Timing `encodedBodySize`,',
      'MB = 10⁶ bytes) and the main thread’s long tasks on the way (`longtask` entries, ≥ 50 ms). Built app served by',
      `\`vite preview\` on localhost, default backend, 1280 × 800; a fresh browser context per run (no cache, no`,
      `service worker); median of ${RUNS} (all runs in brackets). Load: 1-minute load average before the runs.`,
      '',
      '| first figure ms | MB fetched | files | long tasks ≥ 50 ms | longest task ms | load |',
      '| --- | --- | --- | --- | --- | --- |',
      `| ${median(ms)} (${ms.join(', ')}) | ${mb[ms.indexOf(median(ms))]} (${mb.join(', ')}) | ${runs[0]!.files} | ${counts.join(', ')} | ${longest.join(', ')} | ${load} |`,
    ].join('\n'),
  );
});
