/**
 * Training speed and main-thread responsiveness of the built playground in headless Chromium:
 * a VAE (784-400-2, Bernoulli decoder, batch 128) on 10 000 MNIST training digits, on WASM with threads, WASM without
 * threads, WebGL and WebGPU (both SwiftShader, a CPU renderer here). WebGPU takes seconds per step on SwiftShader,
 * so its row trains `WEBGPU_STEPS` steps and pauses instead of two epochs. The longest main-thread task while
 * training comes from a Chrome trace of the
 * page's renderer main thread (every task, however short), cross-checked by a PerformanceObserver on 'longtask'
 * entries in the page (the browser reports only tasks ≥ 50 ms).
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import type { CDPSession, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { fileHarness, QUICK_TRAIN, setNumber, waitForProgress } from '../e2e/harness.js';

const EPOCHS = 2;
/** Steps of the WebGPU row (the first three of a run warm up and are left out of ms/step, see job.ts). */
const WEBGPU_STEPS = 15;
const h = fileHarness();
const rows: string[] = [];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/** Starts a Chrome trace of task boundaries (category `toplevel`); stop() returns the page's main-thread tasks. */
async function traceTasks(page: Page): Promise<{ stop(): Promise<number[]> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', '__metadata'] } });
  return {
    async stop() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      const names = new Map<string, string>();
      for (const e of events)
        if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
      // The page's renderer is the process that also runs the training worker.
      const workerPids = new Set(
        [...names].filter(([, n]) => n === 'DedicatedWorker thread').map(([k]) => k.split(':')[0]),
      );
      const main = [...names].find(([k, n]) => n === 'CrRendererMain' && workerPids.has(k.split(':')[0]))?.[0];
      return events
        .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && `${e.pid}:${e.tid}` === main)
        .map((e) => (e.dur ?? 0) / 1000);
    },
  };
}

/** `stopAt`: pause after that many steps instead of training every epoch. */
async function measure(label: string, query: string, expectedDetail: RegExp, stopAt?: number) {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __longtasks: number[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longtasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  // The first 10 000 training digits (`?trainRows`): epochs as long as in the figures measured before #17.
  await page.goto(`${h.url}${query}&${QUICK_TRAIN}`);
  await page.getByTestId('data-summary').filter({ hasText: '10,000 × 784' }).waitFor({ timeout: 60_000 });
  const detail = (await page.getByTestId('backend-status').textContent()) ?? '';
  expect(detail).toMatch(expectedDetail);
  await page.getByTestId('model').selectOption('vae');
  await setNumber(page, 'Latent size', 2);
  await setNumber(page, 'Epochs', EPOCHS);
  await page.evaluate(() => {
    (window as unknown as { __longtasks: number[] }).__longtasks = [];
  });
  const load = loadavg()[0]!;
  const trace = await traceTasks(page);
  const start = Date.now();
  await page.getByTestId('train').click();
  if (stopAt === undefined) await waitForProgress(page, { state: 'done' }, 20 * 60_000);
  else {
    await waitForProgress(page, { minStep: stopAt }, 20 * 60_000);
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' }, 20 * 60_000);
  }
  const seconds = (Date.now() - start) / 1000;
  const tasks = await trace.stop();
  const steps = Number(await page.getByTestId('progress').getAttribute('data-step'));
  const timing = (await page.getByTestId('timing').textContent()) ?? '';
  const ms = Number(/([\d.]+) ms\/step/.exec(timing)?.[1]);
  const longtasks = await page.evaluate(() => (window as unknown as { __longtasks: number[] }).__longtasks);
  const longest = Math.max(...tasks);
  const over = (limit: number) => tasks.filter((d) => d >= limit).length;
  rows.push(
    `| ${label} | ${detail.replace('active: ', '')} | ${steps} | ${ms.toFixed(1)} | ${(1000 / ms).toFixed(1)} | ${(steps / seconds).toFixed(1)} | ${longest.toFixed(1)} ms | ${tasks.length} / ${over(16)} / ${over(50)} | ${longtasks.length ? `${longtasks.length}, longest ${Math.max(...longtasks).toFixed(0)} ms` : 'none'} | ${load.toFixed(1)} |`,
  );
  await context.close();
  return { ms, tasks };
}

it('measures steps per second per backend and the longest main-thread task', async () => {
  const results = [
    await measure('WASM, threads', '?backend=wasm', /WASM · SIMD · [2-9] threads/),
    await measure('WASM, no threads', '?backend=wasm&threads=0', /WASM · SIMD · 1 thread/),
    await measure('WebGL', '?backend=webgl', /WebGL/),
    await measure('WebGPU', '?backend=webgpu', /WebGPU · .*swiftshader/, WEBGPU_STEPS),
  ];
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'Training in the browser (headless Chromium)',
    'pnpm --filter @latentlab/playground bench',
    [
      `VAE 784-400-2 (Bernoulli decoder, Adam, batch 128) on 10 000 MNIST training digits (\`?trainRows=10000\`), ${EPOCHS} epochs, in the built app`,
      'served by `vite preview`, Chromium headless with SwiftShader WebGL and WebGPU (`--enable-unsafe-webgpu',
      `--use-webgpu-adapter=swiftshader\`: a CPU adapter; the WebGPU row trains ${WEBGPU_STEPS} steps, then pauses).`,
      '"ms/step" is the time of one optimizer step',
      'as the worker measures it (forward, backward, Adam, loss read-back; plot updates excluded); "steps/s overall"',
      "includes the live plots (every second, or 4× their drawing time) and start-up. Main-thread tasks: every task of the page's renderer",
      'main thread from pressing Train to the end of training, from a Chrome trace (category `toplevel`); "tasks',
      'all / ≥ 16 ms / ≥ 50 ms" counts them. `longtask` entries: what a PerformanceObserver in the page saw (the',
      'browser reports only tasks of 50 ms or more). Load: the 1-minute load average before the run (2 cores).',
      '',
      '| backend | active | steps | ms/step | steps/s | steps/s overall | longest main-thread task | tasks all / ≥ 16 ms / ≥ 50 ms | `longtask` entries | load |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
  // The figures are the result; the steps must have been timed, and the main thread traced, on every backend.
  for (const r of results) {
    expect(r.ms).toBeGreaterThan(0);
    expect(r.tasks.length).toBeGreaterThan(0);
  }
});
