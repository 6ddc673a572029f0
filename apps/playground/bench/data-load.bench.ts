/**
 * What loading a data set costs in the built playground (headless Chromium): the bytes of the gzipped IDX files
 * the worker fetches (MNIST and Fashion-MNIST, 60 000 training + 10 000 test images each) and the time from
 * choosing the data set to its summary on the page (fetch, gunzip with DecompressionStream, IDX checks, in the
 * worker). Each figure is measured in a fresh browser context (no HTTP or service-worker cache), median of RUNS.
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { fileHarness, waitForData } from '../e2e/harness.js';

const RUNS = 3;
const h = fileHarness();

/** Bytes over the wire (gzip) and after the browser's decoding. */
interface Sizes {
  wire: number;
  decoded: number;
}

/**
 * Bytes of every file under data/<folder>/ the page's workers fetched, from their Resource Timing entries
 * (`encodedBodySize`: the body as it came over the wire, gzip; `decodedBodySize`: after decoding). `vite preview`
 * serves the `.gz` files with `Content-Encoding: gzip`, so the browser inflates them and the loader gets IDX bytes.
 */
async function fetchedBytes(page: Page, folder: string): Promise<Map<string, Sizes>> {
  const files = new Map<string, Sizes>();
  for (const worker of page.workers()) {
    const entries = await worker.evaluate(
      (f) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes(`/data/${f}/`))
          .map((e) => {
            const t = e as PerformanceResourceTiming;
            return [new URL(e.name).pathname.split('/').pop()!, t.encodedBodySize, t.decodedBodySize];
          }),
      folder,
    );
    for (const [name, wire, decoded] of entries as [string, number, number][]) files.set(name, { wire, decoded });
  }
  return files;
}

interface Measured {
  ms: number;
  files: Map<string, Sizes>;
}

/** Opens the app, chooses `choice` (the default, MNIST, is switched away from and back) and times its loading. */
async function measure(choice: 'mnist' | 'fashion-mnist'): Promise<Measured> {
  // No service worker: it would answer from its cache (and hand the worker decoded bodies), hiding the network.
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${h.url}?backend=wasm`);
  await waitForData(page);
  await page.getByTestId('dataset').selectOption('two-moons');
  await page.getByTestId('data-summary').filter({ hasText: 'two-moons' }).waitFor();
  const start = Date.now();
  await page.getByTestId('dataset').selectOption(choice);
  await page
    .getByTestId('data-summary')
    .filter({ hasText: `${choice}-train: 60,000 × 784` })
    .waitFor({ timeout: 300_000 });
  const ms = Date.now() - start;
  const files = await fetchedBytes(page, choice);
  await context.close();
  return { ms, files };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

it('measures the bytes served and the load time of MNIST and Fashion-MNIST (60 000 + 10 000 images)', async () => {
  const rows: string[] = [];
  for (const choice of ['mnist', 'fashion-mnist'] as const) {
    const load = loadavg()[0]!.toFixed(1);
    const runs: Measured[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await measure(choice));
    const { files } = runs[0]!;
    // The four files of both splits, each fetched once per load.
    expect(files.size).toBe(4);
    const sizes = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
    const sum = (train: boolean, key: keyof Sizes) =>
      sizes.filter(([name]) => name.includes('train') === train).reduce((s, [, b]) => s + b[key], 0);
    const [train, test] = [sum(true, 'wire'), sum(false, 'wire')];
    const decoded = sum(true, 'decoded') + sum(false, 'decoded');
    // Compressed on the wire: less than the decoded IDX bytes (60 000 + 10 000 images of 784 bytes).
    expect(train + test).toBeLessThan(decoded);
    expect(decoded).toBeGreaterThanOrEqual(70_000 * 784);
    const ms = runs.map((m) => m.ms);
    rows.push(
      `| ${choice} | ${mb(train)} | ${mb(test)} | ${mb(train + test)} | ${mb(decoded)} | ${median(ms)} (${ms.join(', ')}) | ${load} |`,
    );
  }
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'Loading the data sets in the browser (headless Chromium)',
    'pnpm --filter @latentlab/playground exec vitest run --config vitest.bench.config.ts bench/data-load.bench.ts',
    [
      'The gzipped IDX files the worker fetches from `public/data/` (MB = 10⁶ bytes over the wire, images + labels,',
      'from Resource Timing `encodedBodySize`; "decoded": the IDX bytes after the browser inflates them, `vite preview`',
      'sends the `.gz` files with `Content-Encoding: gzip`) and the time from choosing the data set to its summary on the',
      'page: fetch from `vite preview` on localhost, inflate, IDX checks, 60 000 × 784 training bytes kept as a',
      `Uint8Array (47 MB; no float32 copy). A fresh browser context per run, no cache, no service worker; median of ${RUNS}`,
      'runs (all runs in brackets). Load: 1-minute load average before the runs (2 cores shared).',
      '',
      '| data set | train MB | test MB | total MB | decoded MB | load ms, median (runs) | load |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
});
