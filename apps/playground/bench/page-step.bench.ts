/**
 * The page's training step on WASM, this build against an earlier one, side by side: a VAE (784-400-2, batch 128)
 * trained for 2 epochs of 10 000 MNIST training digits (`?trainRows=10000`, 158 steps) in the built app, on WASM
 * with threads and without, reading the ms/step the worker reports (forward, backward, Adam, loss read-back). The
 * builds alternate, ROUNDS rounds. PAGE_STEP_BEFORE=<folder> names the earlier build (e.g. `npx vite build --outDir
 * dist-before` at an earlier commit, labelled by PAGE_STEP_BEFORE_LABEL); without it only this build is measured.
 */
import { loadavg } from 'node:os';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import { expect, it } from 'vitest';
import { comparedBuilds, type Harness, QUICK_TRAIN, setNumber, waitForProgress } from '../e2e/harness.js';

const ROUNDS = 2;
const VARIANTS = [
  { label: 'WASM, threads', query: 'backend=wasm' },
  { label: 'WASM, no threads', query: 'backend=wasm&threads=0' },
];
const { builds, commandPrefix } = comparedBuilds('PAGE_STEP_BEFORE');

/** ms per step the worker reports after 2 epochs, and the backend's description. */
async function measure(h: Harness, query: string): Promise<{ ms: number; detail: string }> {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${h.url}?${query}&${QUICK_TRAIN}`);
  await page.getByTestId('data-summary').filter({ hasText: '10,000 × 784' }).waitFor({ timeout: 300_000 });
  const detail = ((await page.getByTestId('backend-status').textContent()) ?? '').replace('active: ', '');
  await page.getByTestId('model').selectOption('vae');
  await setNumber(page, 'Latent size', 2);
  await setNumber(page, 'Epochs', 2);
  await page.getByTestId('train').click();
  await waitForProgress(page, { state: 'done' }, 20 * 60_000);
  const timing = (await page.getByTestId('timing').textContent()) ?? '';
  await context.close();
  return { ms: Number(/([\d.]+) ms\/step/.exec(timing)?.[1]), detail };
}

it("measures the page's WASM training step, side by side with an earlier build", async () => {
  const load = [loadavg()[0]!.toFixed(1)];
  const ms = new Map<string, number[]>();
  const details = new Map<string, string>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of VARIANTS) {
      for (const b of builds) {
        const m = await measure(b.h, v.query);
        expect(m.ms).toBeGreaterThan(0);
        const key = `${v.label}|${b.label}`;
        ms.set(key, [...(ms.get(key) ?? []), m.ms]);
        details.set(v.label, m.detail);
      }
    }
    load.push(loadavg()[0]!.toFixed(1));
  }
  const rows = VARIANTS.flatMap((v) =>
    builds.map((b) => {
      const runs = ms.get(`${v.label}|${b.label}`)!;
      return `| ${v.label} | ${details.get(v.label)} | ${b.label} | ${runs.map((x) => x.toFixed(1)).join(', ')} |`;
    }),
  );
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url).pathname,
    "The page's training step on WASM, side by side",
    `${commandPrefix}pnpm --filter @latentlab/playground exec vitest run --config vitest.bench.config.ts bench/page-step.bench.ts`,
    [
      'VAE 784-400-2 (Bernoulli decoder, Adam, batch 128), 2 epochs of 10 000 MNIST training digits (158 steps) in',
      'the built app served by `vite preview`, headless Chromium; ms/step as the worker reports it (forward, backward,',
      `Adam, loss read-back). The builds alternate, ${ROUNDS} rounds (one figure per round). Load (1-minute average)`,
      `before and after each round: ${load.join(' → ')}.`,
      '',
      '| backend | active | build | ms/step, each round |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
}, 3_600_000);
