/**
 * Training speed and main-thread responsiveness of the built playground in headless Chromium:
 * a VAE (784-400-2, Bernoulli decoder, batch 128) on the MNIST test split, on WASM with threads, WASM without
 * threads and WebGL (SwiftShader). The longest main-thread task while training comes from a PerformanceObserver
 * on 'longtask' entries in the page (tasks ≥ 50 ms; none observed means every task stayed under 50 ms).
 */
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, setNumber, startHarness, waitForProgress } from '../e2e/harness.js';

const EPOCHS = 2;
let h: Harness;
const rows: string[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function measure(label: string, query: string, expectedDetail: RegExp) {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __longtasks: number[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longtasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  await page.goto(`${h.url}${query}`);
  await page.getByTestId('data-summary').filter({ hasText: '10,000 × 784' }).waitFor({ timeout: 60_000 });
  const detail = (await page.getByTestId('backend-status').textContent()) ?? '';
  expect(detail).toMatch(expectedDetail);
  await page.getByTestId('model').selectOption('vae');
  await setNumber(page, 'Latent size', 2);
  await setNumber(page, 'Epochs', EPOCHS);
  await page.evaluate(() => {
    (window as unknown as { __longtasks: number[] }).__longtasks = [];
  });
  const start = Date.now();
  await page.getByTestId('train').click();
  await waitForProgress(page, { state: 'done' }, 20 * 60_000);
  const seconds = (Date.now() - start) / 1000;
  const steps = Number(await page.getByTestId('progress').getAttribute('data-step'));
  const timing = (await page.getByTestId('timing').textContent()) ?? '';
  const ms = Number(/([\d.]+) ms\/step/.exec(timing)?.[1]);
  const longtasks = await page.evaluate(() => (window as unknown as { __longtasks: number[] }).__longtasks);
  const longest = longtasks.length ? Math.max(...longtasks) : 0;
  rows.push(
    `| ${label} | ${detail.replace('active: ', '')} | ${steps} | ${ms.toFixed(1)} | ${(1000 / ms).toFixed(1)} | ${(steps / seconds).toFixed(1)} | ${longtasks.length ? `${longest.toFixed(0)} ms (${longtasks.length} task${longtasks.length > 1 ? 's' : ''} ≥ 50 ms)` : 'none ≥ 50 ms'} |`,
  );
  await context.close();
  return { ms, longest };
}

it('measures steps per second per backend and the longest main-thread task', async () => {
  const results = [
    await measure('WASM, threads', '?backend=wasm', /WASM · SIMD · [2-9] threads/),
    await measure('WASM, no threads', '?backend=wasm&threads=0', /WASM · SIMD · 1 thread/),
    await measure('WebGL', '?backend=webgl', /WebGL/),
  ];
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'Training in the browser (headless Chromium)',
    'pnpm --filter @latentlab/playground bench',
    [
      `VAE 784-400-2 (Bernoulli decoder, Adam, batch 128) on the MNIST test split, ${EPOCHS} epochs, in the built app`,
      'served by `vite preview`, Chromium headless with SwiftShader WebGL. "ms/step" is the time of one optimizer step',
      'as the worker measures it (forward, backward, Adam, loss read-back; plot updates excluded); "steps/s overall"',
      'includes the live plots (every second) and start-up. Long tasks: PerformanceObserver `longtask` entries on the',
      'page while training (the browser reports only tasks of 50 ms or more).',
      '',
      '| backend | active | steps | ms/step | steps/s | steps/s overall | longest main-thread task |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
  // The figures are the result; the steps must have been timed on every backend.
  for (const r of results) expect(r.ms).toBeGreaterThan(0);
});
