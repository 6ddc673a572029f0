/**
 * The main thread while exploring: the shipped VAE's codes of all 70 000 MNIST digits drawn by the latent explorer
 * (no training: "Encode every example" on first load), then 3 rounds of a pointer drag of 60 moves and 16 wheel
 * steps over the plot, as a visitor pans and zooms. Recorded during the pan: the main thread's long tasks
 * (`longtask` entries, ≥ 50 ms), the animation frames' intervals, how often the hovered example changed (each
 * change re-renders the hover panel), and the renderer's main-thread time by kind (Chrome's `Performance.getMetrics`
 * over the pan: every task, script, style recalculation, layout). A fresh browser context per run, RUNS runs.
 *
 * Side by side: EXPLORER_PAN_BEFORE=<folder> also serves an earlier build (e.g. `npx vite build --outDir
 * dist-before` at an earlier commit, named by EXPLORER_PAN_BEFORE_LABEL) and measures both in turns.
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { expect, it } from 'vitest';
import { comparedBuilds, type Harness, panAndZoom, waitForData } from '../e2e/harness.js';

const RUNS = 2;
const N = 70_000;
const { builds, before: BEFORE, commandPrefix } = comparedBuilds('EXPLORER_PAN_BEFORE');

interface Measured {
  longTasks: number[];
  frames: number[];
  hovers: number;
  /** Seconds of main-thread time during the pan, by Chrome's metric name. */
  seconds: Record<(typeof METRICS)[number], number>;
  load: number;
}
const METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;

async function measure(h: Harness): Promise<Measured> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 1000 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${h.url}?backend=wasm`);
  await waitForData(page); // the shipped models are in by then, and the training split the encoding shows
  await page.getByTestId('tab-explorer').click();
  await page.getByTestId('explorer-encode').click();
  await page
    .waitForFunction(
      (n) => document.querySelector('[data-testid="latent-explorer"]')?.getAttribute('data-points') === String(n),
      N,
      { timeout: 600_000, polling: 500 },
    )
    .catch(async (error: Error) => {
      const status = await page.getByTestId('explorer-status').textContent();
      throw new Error(`${error.message}; explorer status: ${status}`);
    });
  const box = (await page.getByTestId('explorer-canvas').boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  };
  await page.evaluate(() => {
    const w = window as unknown as { __pan: { longTasks: number[]; frames: number[]; hovers: number; raf: number } };
    const pan = { longTasks: [] as number[], frames: [] as number[], hovers: 0, raf: 0 };
    w.__pan = pan;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) pan.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    const explorer = document.querySelector('[data-testid="latent-explorer"]')!;
    new MutationObserver(() => pan.hovers++).observe(explorer, { attributes: true, attributeFilter: ['data-hovered'] });
    const loop = (t: number) => {
      pan.frames.push(t);
      pan.raf = requestAnimationFrame(loop);
    };
    pan.raf = requestAnimationFrame(loop);
  });
  const load = loadavg()[0]!;
  const before = await metrics();
  await panAndZoom(page, cx, cy);
  const after = await metrics();
  const pan = await page.evaluate(() => {
    const { __pan: pan } = window as unknown as {
      __pan: { longTasks: number[]; frames: number[]; hovers: number; raf: number };
    };
    cancelAnimationFrame(pan.raf);
    return { longTasks: pan.longTasks, frames: pan.frames, hovers: pan.hovers };
  });
  await context.close();
  const seconds = Object.fromEntries(METRICS.map((m) => [m, after(m) - before(m)])) as Measured['seconds'];
  const frames = pan.frames.slice(1).map((t, i) => t - pan.frames[i]!);
  return { longTasks: pan.longTasks, frames, hovers: pan.hovers, seconds, load };
}

const percentile = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]!;

function row(label: string, m: Measured): string {
  const long = m.longTasks.map(Math.round);
  const cells = [
    `${long.length}${long.length ? `: ${long.join(', ')}` : ''}`,
    `${Math.round(percentile(m.frames, 0.5))} / ${Math.round(percentile(m.frames, 0.95))} (${m.frames.length})`,
    String(m.hovers),
    ...METRICS.map((k) => m.seconds[k].toFixed(2)),
    m.load.toFixed(1),
  ];
  return `| ${[...(BEFORE ? [label] : []), ...cells].join(' | ')} |`;
}

it('measures the main thread while panning and zooming 70 000 codes', async () => {
  const runs: { label: string; m: Measured }[] = [];
  for (let r = 0; r < RUNS; r++) for (const { label, h } of builds) runs.push({ label, m: await measure(h) });
  for (const { m } of runs) {
    expect(m.frames.length).toBeGreaterThan(10);
    expect(m.seconds.TaskDuration).toBeGreaterThan(0);
  }
  const head = [
    'tasks ≥ 50 ms (ms)',
    'frame ms median / p95 (frames)',
    'hovered example changed',
    'main thread busy s',
    'script s',
    'style s',
    'layout s',
    'load',
  ];
  if (BEFORE) head.unshift('build');
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    'Latent explorer: the main thread while panning 70 000 codes',
    `${commandPrefix}pnpm --filter @latentlab/playground exec vitest run --config vitest.bench.config.ts bench/explorer-pan.bench.ts`,
    [
      'The shipped VAE’s codes of all 70 000 MNIST digits in the Explore view (no training), 1280 × 1000, WASM',
      'backend; then 3 rounds of a pointer drag (60 moves) and 16 wheel steps over the plot. During the pan: the main',
      'thread’s tasks of 50 ms or more (`longtask` entries), the animation frames (SwiftShader rasterises the 70 000',
      'points on the CPU, so frames are slow here), how often the hovered example changed, and the main thread’s',
      'busy time by kind (Chrome’s `Performance.getMetrics` differences: TaskDuration, ScriptDuration,',
      `RecalcStyleDuration, LayoutDuration). A fresh browser context per run, ${RUNS} runs${BEFORE ? ' of each build in turn' : ''}; load: the 1-minute`,
      'load average as the pan began.',
      '',
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...runs.map(({ label, m }) => row(label, m)),
    ].join('\n'),
  );
}, 3_600_000);
