/**
 * End to end: the built playground in headless Chromium (SwiftShader WebGL), served by `vite preview`.
 * Screenshots go to test-results/ (gitignored).
 *
 * Made to hold on a loaded machine: every wait ends on something the app shows (the progress line's step, state,
 * backend, job and model; a notice; a drawn canvas) and fails only when the app stops moving for `STALL_MS`, not
 * after a fixed time; and each test trains only as much as its assertions need (SwiftShader's WebGL is the
 * slowest part: about ten steps on it per test).
 */
import * as fs from 'node:fs/promises';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  appErrors,
  artifactsDir,
  configureVae,
  fileHarness,
  openApp,
  progressOf,
  QUICK_TRAIN,
  STALL_MS,
  setNumber,
  sharedContext,
  waitForData,
  waitForProgress,
} from './harness.js';

const h = fileHarness();

/**
 * Opens the app on the first 10 000 training digits (QUICK_TRAIN) with the URL parameters of `query` ('?a=b'), in
 * the file's shared context (IndexedDB and the service worker outlive a page).
 */
async function open(query = ''): Promise<Page> {
  return (await openApp(h, { context: 'shared', query: `${QUICK_TRAIN}${query.replace(/^\?/, '&')}` })).page;
}

/** Fits a PCA with `k` components on the loaded data. */
async function fitPca(page: Page, k: number): Promise<void> {
  await page.getByTestId('model').selectOption('pca');
  await setNumber(page, 'Latent size', k);
  await page.getByTestId('train').click();
  await waitForProgress(page, { model: 'pca', state: 'done' });
}

async function draws(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).getAttribute('data-draws')) ?? 0);
}

/** Waits until the backend bar shows `name` as the active backend (a switch ends between two training steps). */
async function waitForBackend(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="backend-status"]')?.getAttribute('data-backend') === n,
    name,
    { timeout: STALL_MS, polling: 100 },
  );
}

describe('playground', () => {
  it('loads with WASM-SIMD threads in a cross-origin-isolated page and MNIST as the default data', async () => {
    const page = await open();
    const status = page.getByTestId('backend-status');
    await expect.poll(() => status.getAttribute('data-backend')).toBe('wasm');
    expect(await status.textContent()).toMatch(/WASM · SIMD · [2-4] threads/);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getByTestId('data-summary').textContent()).toContain('mnist-train: 10,000 × 784, 10 classes');
    await page.screenshot({ path: `${artifactsDir}01-loaded.png` });
    await page.close();
  });

  it('serves a Content-Security-Policy that blocks inline scripts (and the app breaks none of it)', async () => {
    // Violations show up as console errors, which the last test collects from every other page.
    const probe = await (await sharedContext(h)).newPage();
    const messages: string[] = [];
    probe.on('console', (message) => messages.push(message.text()));
    const response = await probe.goto(h.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
    expect(csp).toContain("object-src 'none'");
    await probe.addScriptTag({ content: 'window.__inline = 1' }).catch(() => undefined);
    expect(await probe.evaluate(() => (window as { __inline?: number }).__inline)).toBeUndefined();
    await expect.poll(() => messages.some((m) => /Content Security Policy/.test(m)), { timeout: 30_000 }).toBe(true);
    await probe.close();
  });

  it('trains a VAE on WASM, switches to WebGL mid-training, and the loss falls while the plots update', async () => {
    const page = await open();
    await configureVae(page, 3); // 3 × 79 = 237 steps; paused after 10 on WebGL
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 5, backend: 'wasm' });
    const early = await progressOf(page);
    await page.getByTestId('plot-scatter').locator('xpath=self::canvas').waitFor();
    const scatterDraws = await draws(page, 'plot-scatter');
    // The loss falls on WASM (fast); WebGL (SwiftShader) then only has to show that training carries on there.
    await waitForProgress(page, { minStep: 150 });
    await page.getByTestId('backend-webgl').click();
    await waitForBackend(page, 'webgl');
    const atSwitch = (await progressOf(page)).step;
    expect(atSwitch).toBeLessThan(3 * 79 - 10); // switched mid-training, with steps left for WebGL
    await waitForProgress(page, { minStep: atSwitch + 10, backend: 'webgl' });
    expect((await progressOf(page)).state).toBe('training'); // it carried on after the switch
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    const paused = await progressOf(page);
    expect(paused.backend).toBe('webgl');
    // An untrained decoder (p = ½ per pixel) costs 784·ln 2 ≈ 543 nats; a trained 2-d VAE is far below, and
    // below where the progress line first reported it (the last 20 steps, half of them on WebGL).
    expect(paused.loss).toBeLessThan(0.4 * 784 * Math.LN2);
    expect(paused.loss).toBeLessThan(early.loss - 20);
    await expect.poll(() => draws(page, 'plot-scatter'), { timeout: STALL_MS }).toBeGreaterThan(scatterDraws);
    const timing = await page.getByTestId('timing').textContent();
    expect(timing).toMatch(/WASM-SIMD: [\d.]+ ms\/step/);
    expect(timing).toMatch(/WebGL: [\d.]+ ms\/step/);
    // Click the latent plane twice: a decoded image, then an interpolation strip.
    const scatter = page.getByTestId('plot-scatter');
    const box = (await scatter.boundingBox())!;
    await scatter.click({ position: { x: box.width * 0.4, y: box.height * 0.5 } });
    await page.getByTestId('plot-decoded').waitFor();
    await scatter.click({ position: { x: box.width * 0.7, y: box.height * 0.4 } });
    await page.getByTestId('plot-interpolation').waitFor();
    await page.screenshot({ path: `${artifactsDir}02-trained-wasm-webgl.png`, fullPage: true });
    await page.screenshot({ path: `${artifactsDir}readme.png`, clip: { x: 0, y: 0, width: 1280, height: 860 } });
    await page.close();
  });

  it('trains a VAE on WebGL from the start and moves it to WASM mid-training', async () => {
    const page = await open('?backend=webgl');
    await waitForBackend(page, 'webgl');
    expect(await page.getByTestId('backend-status').textContent()).toContain('WebGL 2 · float32');
    await configureVae(page, 2); // 2 × 79 = 158 steps: the first few on WebGL (SwiftShader), the rest on WASM
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 5, backend: 'webgl' });
    const early = await progressOf(page); // trained on WebGL: the loss of its first steps
    await page.getByTestId('backend-wasm').click();
    await waitForBackend(page, 'wasm');
    const atSwitch = (await progressOf(page)).step;
    expect(atSwitch).toBeLessThan(2 * 79 - 10);
    await waitForProgress(page, { minStep: atSwitch + 10, backend: 'wasm' });
    await waitForProgress(page, { state: 'done' });
    const done = await progressOf(page);
    expect(done.step).toBe(2 * 79);
    expect(done.loss).toBeLessThan(0.4 * 784 * Math.LN2);
    expect(done.loss).toBeLessThan(early.loss - 20);
    expect(await page.getByTestId('timing').textContent()).toMatch(
      /WebGL: [\d.]+ ms\/step · WASM-SIMD: [\d.]+ ms\/step|WASM-SIMD: [\d.]+ ms\/step · WebGL: [\d.]+ ms\/step/,
    );
    await page.close();
  });

  it('saves a paused run, reloads the page and resumes where it stopped', async () => {
    const page = await open();
    await configureVae(page, 2);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 40 });
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    const paused = await progressOf(page);
    await page.getByTestId('save').click();
    await page
      .getByTestId('info')
      .filter({ hasText: `step ${paused.step}` })
      .waitFor();
    await page.reload();
    await waitForData(page, 10_000); // the reloaded URL keeps ?trainRows=10000
    await page.getByTestId('restore').click();
    await waitForProgress(page, { minStep: paused.step, state: 'paused' });
    const restored = await progressOf(page);
    expect(restored.step).toBe(paused.step);
    expect(restored.loss).toBeCloseTo(paused.loss, 6);
    await page.getByTestId('plot-loss').locator('xpath=self::canvas').waitFor();
    await page.getByTestId('resume').click();
    await waitForProgress(page, { state: 'done' });
    const done = await progressOf(page);
    // Resumed inside the paused epoch, not at its start: exactly 2 epochs of ⌈10 000 / 128⌉ = 79 steps in all
    // (the first 10 000 training digits, QUICK_TRAIN).
    expect(paused.step % 79).not.toBe(0);
    expect(done.step).toBe(2 * 79);
    // Resumed, not restarted: the loss stays near where it stopped (a fresh model starts near 543 nats).
    expect(done.loss).toBeLessThan(250);
    await page.screenshot({ path: `${artifactsDir}03-resumed.png`, fullPage: true });
    await page.close();
  });

  it('saves a fitted PCA and loads it after a reload', async () => {
    const page = await open();
    await fitPca(page, 3);
    await page.getByTestId('save').click();
    await page.getByTestId('info').filter({ hasText: 'Saved' }).waitFor();
    await page.reload();
    await waitForData(page, 10_000); // the reloaded URL keeps ?trainRows=10000
    await page.getByTestId('restore').click();
    await page.getByTestId('info').filter({ hasText: 'Loaded PCA (3 components, fitted) on mnist-train' }).waitFor();
    await waitForProgress(page, { state: 'done' });
    await page.getByTestId('plot-scatter').locator('xpath=self::canvas').waitFor();
    await page.close();
  });

  it('downloads a run and uploads it again; a damaged copy of the weights file is refused', async () => {
    const page = await open();
    await fitPca(page, 4);
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByTestId('download').click();
    await expect.poll(() => downloads.length, { timeout: STALL_MS }).toBe(2);
    const files = await Promise.all(
      downloads.map(async (d) => ({
        name: d.suggestedFilename(),
        mimeType: d.suggestedFilename().endsWith('.json') ? 'application/json' : 'application/octet-stream',
        buffer: await fs.readFile((await d.path())!),
      })),
    );
    files.sort((a, b) => Number(b.name.endsWith('.json')) - Number(a.name.endsWith('.json'))); // model.json first
    expect(files.map((f) => f.name)).toEqual([
      expect.stringMatching(/^latentlab-pca-mnist-train-step\d+\.json$/),
      expect.stringMatching(/^latentlab-pca-mnist-train-step\d+\.weights\.bin$/),
    ]);
    const [json, weights] = files as [(typeof files)[0], (typeof files)[0]];
    expect(JSON.parse(json.buffer.toString()).modelTopology.weightDataCrc32).toBe(zlibCrc32(weights.buffer));
    await page.reload();
    await waitForData(page, 10_000); // the reloaded URL keeps ?trainRows=10000
    // One byte changed, the length kept (a damaged copy): refused by its CRC-32, nothing loaded.
    const damaged = Buffer.from(weights.buffer);
    damaged[damaged.length >> 1]! ^= 0x01;
    await page.getByTestId('upload').setInputFiles([json, { ...weights, buffer: damaged }]);
    const alert = page.getByTestId('error');
    await alert.filter({ hasText: 'weights file is damaged' }).waitFor();
    expect(await alert.textContent()).toMatch(/Bad model file.*CRC-32 0x[0-9a-f]{8}, saved with 0x[0-9a-f]{8}/s);
    // A weights file one byte short or long of what the manifest describes: refused from its size, before reading.
    for (const bad of [weights.buffer.subarray(1), Buffer.concat([weights.buffer, Buffer.alloc(1)])]) {
      await page.getByTestId('upload').setInputFiles([json, { ...weights, buffer: bad }]);
      await alert.filter({ hasText: `holds ${bad.length} bytes` }).waitFor();
      expect(await alert.textContent()).toContain(
        `Bad model file. This is not a playground model file: ${weights.name} holds ${bad.length} bytes, ${json.name} describes ${weights.buffer.length}.`,
      );
    }
    // The files as downloaded load.
    await page.getByTestId('upload').setInputFiles([json, weights]);
    await page.getByTestId('info').filter({ hasText: 'Loaded PCA (4 components, fitted) on mnist-train' }).waitFor();
    await page.close();
  });

  it('works offline once loaded: without a network, a reload still serves the app, its data and its backends', async () => {
    const { page, context: offline, errors: offlineErrors } = await openApp(h);
    // The service worker takes control after the first load; the next load goes through it (and fills its cache).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: STALL_MS });
    await page.reload();
    await waitForData(page);
    await offline.setOffline(true);
    await page.reload();
    await waitForData(page);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // cached with their COOP/COEP headers
    await configureVae(page, 1);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 10 });
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    expect(offlineErrors).toEqual([]);
    await offline.close();
  });

  it('compares PCA, an autoencoder and a VAE side by side', async () => {
    const page = await open();
    await setNumber(page, 'Latent size', 2);
    await setNumber(page, 'Epochs', 1); // the assertions are about layout and labels, not how well they fit
    await setNumber(page, 'KL warm-up steps', 0);
    await page.getByTestId('compare').click();
    // The three models train one after the other; the VAE is the last.
    await waitForProgress(page, { job: 'compare', model: 'vae', state: 'done' });
    for (const i of [0, 1, 2]) await page.getByTestId(`compare-grid-${i}`).locator('xpath=self::canvas').waitFor();
    for (const i of [0, 1, 2]) {
      expect(await page.getByTestId(`compare-scatter-${i}`).getAttribute('aria-label')).toMatch(
        /^(PCA|Deep AE|VAE): held-out codes$/,
      );
    }
    expect(await page.getByTestId('compare-grid-1').getAttribute('aria-label')).toMatch(
      /^Deep AE: grid on \[−[\d.]+, [\d.]+\]²$/,
    );
    expect(await page.getByTestId('compare-grid-2').getAttribute('aria-label')).toBe('VAE: grid on [−3, 3]²');
    await page.screenshot({ path: `${artifactsDir}04-compare.png`, fullPage: true });
    await page.close();
  });

  it('logged no console errors (CSP violations included) on any page', () => {
    expect(appErrors(h).flat()).toEqual([]);
  });
});
