/**
 * End to end on WebGPU: the built playground in headless Chromium with WebGPU through SwiftShader (the harness's
 * `--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader`; the page is served from http://localhost, a secure
 * context). SwiftShader is a software adapter, so the default passes over it for WASM-SIMD and says why;
 * `?backend=webgpu` and the picker still use it. A training step on it takes seconds here, so each test takes only a
 * few steps on WebGPU; every wait ends on what the app shows and fails only when the app stops moving for STALL_MS.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../src/protocol.js';
import { BACKEND_LABELS } from '../src/ui/backend-choice.js';
import {
  appErrors,
  configureVae,
  fileHarness,
  openApp,
  progressOf,
  STALL_MS,
  setNumber,
  waitForProgress,
} from './harness.js';

const h = fileHarness();
/** tfjs-webgpu's warning on a synchronous read (which can return zeros in a worker on SwiftShader). */
const syncReads: string[] = [];

async function open(query = ''): Promise<Page> {
  const watchSyncReads = (page: Page) => {
    page.on('worker', (worker) =>
      worker.on('console', (m) => /synchronously reading data/.test(m.text()) && syncReads.push(m.text())),
    );
  };
  return (await openApp(h, { context: 'shared', query, before: watchSyncReads })).page;
}

/** The adapter as navigator.gpu reports it to the page itself (asked independently of the app). */
async function adapterInfo(page: Page): Promise<{ vendor: string; architecture: string }> {
  return page.evaluate(async () => {
    type Info = { vendor: string; architecture: string };
    const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info: Info } | null> } }).gpu;
    const info = (await gpu.requestAdapter())?.info;
    return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '' };
  });
}

async function activeBackend(page: Page): Promise<string | null> {
  return page.getByTestId('backend-status').getAttribute('data-backend');
}

async function draws(page: Page): Promise<number> {
  return Number((await page.getByTestId('plot-scatter').getAttribute('data-draws')) ?? 0);
}

/** Clicks `name` in the picker, waits until it is active, then until `steps` more steps were taken on it. */
async function switchTo(page: Page, name: BackendChoice, steps: number): Promise<void> {
  await page.getByTestId(`backend-${name}`).click();
  await expect.poll(() => activeBackend(page), { timeout: STALL_MS }).toBe(name);
  const at = (await progressOf(page)).step;
  await waitForProgress(page, { minStep: at + steps, backend: name });
}

describe('playground on WebGPU', () => {
  it('offers all four backends, fastest first; the default passes over the software GPUs, saying why', async () => {
    const page = await open();
    const buttons = page.getByTestId('backend-bar').getByRole('button');
    expect(await buttons.allTextContents()).toEqual(['WebGPU', 'WebGL', 'WASM-SIMD', 'CPU']);
    await expect.poll(() => activeBackend(page)).toBe('wasm');
    const adapter = await adapterInfo(page);
    expect(adapter.architecture).toBe('swiftshader'); // what the harness's flags ask for
    const skipped = await page.getByTestId('fallbacks').getByRole('listitem').allTextContents();
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/^WebGPU skipped: a software adapter \(/);
    expect(skipped[0]).toContain(`${adapter.vendor} ${adapter.architecture}`);
    expect(skipped[1]).toMatch(/^WebGL skipped: a software renderer \(.*SwiftShader/);
    await page.close();
  });

  it('trains a VAE on WebGPU, draws its plots there, and moves it WebGPU → WASM → WebGPU → WASM keeping its state', async () => {
    const page = await open('backend=webgpu');
    await expect.poll(() => activeBackend(page)).toBe('webgpu');
    const adapter = await adapterInfo(page);
    expect(await page.getByTestId('backend-status').textContent()).toBe(
      `active: WebGPU · ${adapter.vendor} ${adapter.architecture} (software)`,
    );
    expect(await page.getByTestId('fallbacks').count()).toBe(0); // the one asked for started
    await configureVae(page, 2); // 2 × 79 = 158 steps: a few on WebGPU, most on WASM
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 3, backend: 'webgpu' }); // its first steps compile the shaders
    const first = await progressOf(page);
    expect(Number.isFinite(first.loss)).toBe(true);
    // Untrained (p = ½ per pixel) a VAE costs about 784·ln 2 ≈ 543 nats; WASM trains it well below that.
    await switchTo(page, 'wasm', 60);
    const beforeGpu = await progressOf(page);
    expect(beforeGpu.loss).toBeLessThan(0.6 * 784 * Math.LN2);
    const drawn = await draws(page);
    await switchTo(page, 'webgpu', 5);
    // The plots are redrawn from the model on WebGPU (codes, reconstructions, samples, grid read asynchronously).
    await expect.poll(() => draws(page), { timeout: STALL_MS }).toBeGreaterThan(drawn);
    expect((await progressOf(page)).backend).toBe('webgpu');
    expect((await progressOf(page)).step).toBeGreaterThanOrEqual(beforeGpu.step + 5); // the step count carried on
    await switchTo(page, 'wasm', 20);
    const after = await progressOf(page);
    expect(after.state).toBe('training');
    expect(after.step).toBeLessThan(2 * 79); // every switch happened mid-training
    // The last 20 steps ran on WASM from the weights and Adam moments that came back from WebGPU: lost weights
    // would start again near 543 nats.
    expect(after.loss).toBeLessThan(beforeGpu.loss + 10);
    const timing = (await page.getByTestId('timing').textContent()) ?? '';
    expect(timing).toMatch(/WebGPU: [\d.]+ ms\/step/);
    expect(timing).toMatch(/WASM-SIMD: [\d.]+ ms\/step/);
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    await page.close();
  });

  it('switches mid-training between all four backends, training on each', async () => {
    const page = await open('backend=wasm');
    await configureVae(page, 1);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 5, backend: 'wasm' });
    // Five steps on each: the first three after a switch warm up and are left out of the timing (job.ts). The
    // progress line can lag the steps taken before the switch, so each backend's stay also lasts until its first
    // timed step shows (waited on, not counted).
    const timing = async () => (await page.getByTestId('timing').textContent()) ?? '';
    for (const name of ['webgl', 'cpu', 'webgpu', 'wasm'] as const) {
      await switchTo(page, name, 5);
      const timed = new RegExp(`${BACKEND_LABELS[name]}: [\\d.]+ ms/step`);
      await expect.poll(timing, { timeout: STALL_MS }).toMatch(timed);
    }
    const last = await progressOf(page);
    expect(last.state).toBe('training');
    expect(last.step).toBeLessThan(79);
    const shown = await timing();
    for (const label of Object.values(BACKEND_LABELS)) expect(shown).toMatch(new RegExp(`${label}: [\\d.]+ ms/step`));
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    await page.close();
  });

  it('fits a PCA on WebGPU and moves it to WASM rebuilt from its parameters: it decodes there with no synchronous read', async () => {
    const page = await open('backend=webgpu&trainRows=2000');
    await expect.poll(() => activeBackend(page)).toBe('webgpu');
    await page.getByTestId('model').selectOption('pca');
    await setNumber(page, 'Latent size', 2);
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    const scatter = page.getByTestId('plot-scatter');
    await expect.poll(() => scatter.getAttribute('aria-label'), { timeout: STALL_MS }).toMatch(/^PCA/);
    await page.getByTestId('backend-wasm').click();
    await expect.poll(() => activeBackend(page), { timeout: STALL_MS }).toBe('wasm');
    // Decoding on WASM uses the PCA's tensors there. Left to tfjs to migrate on first use, they would be read from
    // WebGPU synchronously (tfjs warns, and the values read are zeros); rebuilt from the float64 parameters, nothing
    // is read back.
    const box = (await scatter.boundingBox())!;
    await scatter.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await page.getByTestId('plot-decoded').locator('xpath=self::canvas').waitFor();
    expect(await page.getByTestId('plot-decoded').getAttribute('aria-label')).toMatch(/^decode\(/);
    expect(syncReads).toEqual([]);
    await page.close();
  });

  it('read no tensor synchronously on WebGPU, logged no console errors and threw no uncaught exceptions', () => {
    expect(syncReads).toEqual([]);
    expect(appErrors(h).flat()).toEqual([]);
  });
});
