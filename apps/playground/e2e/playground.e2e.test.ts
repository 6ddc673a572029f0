/**
 * End to end: the built playground in headless Chromium (SwiftShader WebGL), served by `vite preview`.
 * Screenshots go to test-results/ (gitignored).
 */
import * as fs from 'node:fs/promises';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  type Harness,
  progressOf,
  setNumber,
  startHarness,
  waitForProgress,
  watchErrors,
} from './harness.js';

let h: Harness;
let context: BrowserContext;
const errors: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 } });
});

afterAll(async () => {
  await context?.close();
  await h?.close();
});

async function open(query = ''): Promise<Page> {
  const page = await context.newPage();
  errors.push(...watchErrors(page));
  await page.goto(`${h.url}${query}`);
  await waitForData(page);
  return page;
}

/** Waits until the default data (the 10 000 MNIST test images) is loaded. */
async function waitForData(page: Page): Promise<void> {
  await page.getByTestId('data-summary').filter({ hasText: '10,000 × 784' }).waitFor({ timeout: 60_000 });
}

/** Fits a PCA with `k` components on the loaded data. */
async function fitPca(page: Page, k: number): Promise<void> {
  await page.getByTestId('model').selectOption('pca');
  await setNumber(page, 'Latent size', k);
  await page.getByTestId('train').click();
  await waitForProgress(page, { state: 'done' });
}

async function draws(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).getAttribute('data-draws')) ?? 0);
}

async function configureVae(page: Page, epochs: number) {
  await page.getByTestId('model').selectOption('vae');
  await setNumber(page, 'Latent size', 2);
  await setNumber(page, 'Epochs', epochs);
  await setNumber(page, 'Learning rate', 0.002);
}

describe('playground', () => {
  it('loads with WASM-SIMD threads in a cross-origin-isolated page and MNIST as the default data', async () => {
    const page = await open();
    const status = page.getByTestId('backend-status');
    await expect.poll(() => status.getAttribute('data-backend')).toBe('wasm');
    expect(await status.textContent()).toMatch(/WASM · SIMD · [2-4] threads/);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getByTestId('data-summary').textContent()).toContain('mnist-test: 10,000 × 784, 10 classes');
    await page.screenshot({ path: `${artifactsDir}01-loaded.png` });
    await page.close();
  });

  it('serves a Content-Security-Policy that blocks inline scripts (and the app breaks none of it)', async () => {
    // Violations show up as console errors, which the last test collects from every other page.
    const probe = await context.newPage();
    const messages: string[] = [];
    probe.on('console', (message) => messages.push(message.text()));
    const response = await probe.goto(h.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
    expect(csp).toContain("object-src 'none'");
    await probe.addScriptTag({ content: 'window.__inline = 1' }).catch(() => undefined);
    expect(await probe.evaluate(() => (window as { __inline?: number }).__inline)).toBeUndefined();
    await expect.poll(() => messages.some((m) => /Content Security Policy/.test(m))).toBe(true);
    await probe.close();
  });

  it('trains a VAE on WASM, switches to WebGL mid-training, and the loss falls while the plots update', async () => {
    const page = await open();
    await configureVae(page, 4); // 4 × 79 = 316 steps
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 5, backend: 'wasm' });
    const early = await progressOf(page);
    await page.getByTestId('plot-scatter').locator('xpath=self::canvas').waitFor({ timeout: 60_000 });
    const scatterDraws = await draws(page, 'plot-scatter');
    await waitForProgress(page, { minStep: 160 });
    await page.getByTestId('backend-webgl').click();
    await expect
      .poll(() => page.getByTestId('backend-status').getAttribute('data-backend'), { timeout: 60_000 })
      .toBe('webgl');
    const atSwitch = (await progressOf(page)).step;
    await waitForProgress(page, { minStep: atSwitch + 20, backend: 'webgl' });
    expect((await progressOf(page)).state).toBe('training'); // it carried on after the switch
    await waitForProgress(page, { state: 'done' }, 240_000);
    const done = await progressOf(page);
    expect(done.step).toBeGreaterThanOrEqual(316);
    // An untrained decoder (p = ½ per pixel) costs 784·ln 2 ≈ 543 nats; a trained 2-d VAE is far below, and
    // below where the progress line first reported it.
    expect(done.loss).toBeLessThan(0.4 * 784 * Math.LN2);
    expect(done.loss).toBeLessThan(early.loss - 20);
    expect(await draws(page, 'plot-scatter')).toBeGreaterThan(scatterDraws);
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
    await expect.poll(() => page.getByTestId('backend-status').getAttribute('data-backend')).toBe('webgl');
    expect(await page.getByTestId('backend-status').textContent()).toContain('WebGL 2 · float32');
    await configureVae(page, 2);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 5, backend: 'webgl' });
    const early = await progressOf(page);
    await waitForProgress(page, { minStep: 100 });
    await page.getByTestId('backend-wasm').click();
    await waitForProgress(page, { minStep: 110, backend: 'wasm' });
    await waitForProgress(page, { state: 'done' }, 240_000);
    const done = await progressOf(page);
    expect(done.step).toBeGreaterThanOrEqual(158);
    expect(done.loss).toBeLessThan(0.4 * 784 * Math.LN2);
    expect(done.loss).toBeLessThan(early.loss - 20);
    expect(await page.getByTestId('timing').textContent()).toMatch(
      /WebGL: [\d.]+ ms\/step · WASM-SIMD: [\d.]+ ms\/step|WASM-SIMD: [\d.]+ ms\/step · WebGL: [\d.]+ ms\/step/,
    );
    await page.close();
  });

  it('saves a paused run, reloads the page and resumes where it stopped', async () => {
    const page = await open();
    await configureVae(page, 3);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 100 });
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    const paused = await progressOf(page);
    await page.getByTestId('save').click();
    await page
      .getByTestId('info')
      .filter({ hasText: `step ${paused.step}` })
      .waitFor();
    await page.reload();
    await waitForData(page);
    await page.getByTestId('restore').click();
    await waitForProgress(page, { minStep: paused.step, state: 'paused' });
    const restored = await progressOf(page);
    expect(restored.step).toBe(paused.step);
    expect(restored.loss).toBeCloseTo(paused.loss, 6);
    await page.getByTestId('plot-loss').locator('xpath=self::canvas').waitFor();
    await page.getByTestId('resume').click();
    await waitForProgress(page, { state: 'done' }, 240_000);
    const done = await progressOf(page);
    // Resumed inside the paused epoch, not at its start: exactly 3 epochs of ⌈10 000 / 128⌉ = 79 steps in all.
    expect(done.step).toBe(3 * 79);
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
    await waitForData(page);
    await page.getByTestId('restore').click();
    await page.getByTestId('info').filter({ hasText: 'Loaded PCA (3 components, fitted) on mnist-test' }).waitFor();
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
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
    const files = await Promise.all(
      downloads.map(async (d) => ({
        name: d.suggestedFilename(),
        mimeType: d.suggestedFilename().endsWith('.json') ? 'application/json' : 'application/octet-stream',
        buffer: await fs.readFile((await d.path())!),
      })),
    );
    files.sort((a, b) => Number(b.name.endsWith('.json')) - Number(a.name.endsWith('.json'))); // model.json first
    expect(files.map((f) => f.name)).toEqual([
      expect.stringMatching(/^latentlab-pca-mnist-test-step\d+\.json$/),
      expect.stringMatching(/^latentlab-pca-mnist-test-step\d+\.weights\.bin$/),
    ]);
    const [json, weights] = files as [(typeof files)[0], (typeof files)[0]];
    expect(JSON.parse(json.buffer.toString()).modelTopology.weightDataCrc32).toBe(zlibCrc32(weights.buffer));
    await page.reload();
    await waitForData(page);
    // One byte changed, the length kept (a damaged copy): refused by its CRC-32, nothing loaded.
    const damaged = Buffer.from(weights.buffer);
    damaged[damaged.length >> 1]! ^= 0x01;
    await page.getByTestId('upload').setInputFiles([json, { ...weights, buffer: damaged }]);
    const alert = page.getByTestId('error');
    await alert.filter({ hasText: 'weights file is damaged' }).waitFor();
    expect(await alert.textContent()).toMatch(/Bad model file.*CRC-32 0x[0-9a-f]{8}, saved with 0x[0-9a-f]{8}/s);
    // The files as downloaded load.
    await page.getByTestId('upload').setInputFiles([json, weights]);
    await page.getByTestId('info').filter({ hasText: 'Loaded PCA (4 components, fitted) on mnist-test' }).waitFor();
    await page.close();
  });

  it('works offline once loaded: without a network, a reload still serves the app, its data and its backends', async () => {
    const offline = await h.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await offline.newPage();
    const offlineErrors = watchErrors(page);
    await page.goto(h.url);
    await waitForData(page);
    // The service worker takes control after the first load; the next load goes through it (and fills its cache).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
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
    await setNumber(page, 'Epochs', 3);
    await setNumber(page, 'KL warm-up steps', 0);
    await page.getByTestId('compare').click();
    for (const i of [0, 1, 2])
      await page.getByTestId(`compare-grid-${i}`).locator('xpath=self::canvas').waitFor({ timeout: 180_000 });
    await waitForProgress(page, { state: 'done' }, 180_000);
    for (const i of [0, 1, 2]) {
      expect(await page.getByTestId(`compare-scatter-${i}`).getAttribute('aria-label')).toMatch(
        /^(PCA|Deep AE|VAE): latent codes$/,
      );
    }
    expect(await page.getByTestId('compare-grid-1').getAttribute('aria-label')).toMatch(
      /^Deep AE: grid on \[−[\d.]+, [\d.]+\]²$/,
    );
    expect(await page.getByTestId('compare-grid-2').getAttribute('aria-label')).toBe('VAE: grid on [−3, 3]²');
    await page.screenshot({ path: `${artifactsDir}04-compare.png`, fullPage: true });
    await page.close();
  });

  it('rejects a hostile CSV with a clear message and runs nothing from it', async () => {
    const page = await open();
    await page.getByTestId('dataset').selectOption('csv');
    const hostile =
      'a,b,c\n1,2,3\n<img src=x onerror="window.__pwned=1">,2,3\n4,5\n"<script>window.__pwned=2</script>",1,1\n';
    await page
      .getByTestId('csv-file')
      .setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostile) });
    const alert = page.getByTestId('error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Bad CSV file.*line 3.*hostile\.csv/s);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    // A ragged file (no markup) fails with the line of the short row.
    await page
      .getByTestId('csv-file')
      .setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n3\n') });
    await alert.filter({ hasText: 'ragged.csv' }).waitFor();
    expect(await alert.textContent()).toMatch(/line 3/);
    await page.screenshot({ path: `${artifactsDir}05-hostile-csv.png` });
    // An upload that is not a model file is refused the same way.
    await page.getByTestId('upload').setInputFiles([
      {
        name: 'evil.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"modelTopology":{"format":"<img src=x onerror=alert(1)>"},"weightsManifest":[]}'),
      },
    ]);
    await alert.filter({ hasText: 'Bad model file' }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    // A .json file that is not JSON (tfjs's own browserFiles handler would wait forever on it) is refused too.
    await page.getByTestId('upload').setInputFiles([
      { name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('<script>alert(1)</script>') },
      { name: 'not-json.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8) },
    ]);
    await alert.filter({ hasText: 'not-json.json is not valid JSON' }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('logged no console errors (CSP violations included) on any page', () => {
    expect(errors).toEqual([]);
  });
});
