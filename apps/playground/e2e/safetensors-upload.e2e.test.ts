/**
 * End to end, a `.safetensors` upload: the VAE of pytorch/examples `vae/main.py` (784-400-20, saved by real PyTorch
 * in packages/interop/fixtures) becomes the current model and every figure of the train view is drawn from it; a
 * truncated copy is refused with one line and replaces nothing; a model for another input size is refused saying
 * both sizes. The built playground in headless Chromium, served by `vite preview` (see harness.ts).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, fileHarness, openApp, STALL_MS } from './harness.js';

const FIXTURE = fileURLToPath(
  new URL('../../../packages/interop/fixtures/pytorch-examples-vae/model.safetensors', import.meta.url),
);
const IMAGE_PLOTS = ['plot-scatter', 'plot-reconstructions', 'plot-samples', 'plot-manifold'] as const;

const h = fileHarness();
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'latentlab-e2e-safetensors-'));
});

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const draws = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).getAttribute('data-draws')) ?? 0);

describe('playground, .safetensors upload', () => {
  it("loads PyTorch's pytorch/examples VAE, draws its figures, and refuses a truncated copy without replacing it", async () => {
    const { page, context, errors } = await openApp(h);

    await page.getByTestId('upload').setInputFiles(FIXTURE);
    const info = page.getByTestId('info');
    await info.filter({ hasText: 'Loaded VAE' }).waitFor();
    expect(await info.textContent()).toContain(
      'Loaded VAE 784 → 20 (pytorch/examples vae/main.py) from model.safetensors on mnist-train.',
    );
    const progress = page.getByTestId('progress');
    expect(await progress.getAttribute('data-model')).toBe('vae');
    expect(await progress.getAttribute('data-state')).toBe('done');
    // Every figure of an image VAE is a canvas the worker has drawn into, titled for the VAE.
    for (const id of IMAGE_PLOTS) {
      await page.getByTestId(id).locator('xpath=self::canvas').waitFor();
      await expect.poll(() => draws(page, id), { timeout: STALL_MS }).toBeGreaterThan(0);
      expect(await page.getByTestId(id).getAttribute('aria-label')).toMatch(/^VAE: /);
    }
    expect(await page.getByTestId('plot-scatter').getAttribute('aria-label')).toBe('VAE: 1000 held-out test digits');
    // The latent size of the imported model (fc21: [20, 400]) is the one the settings show.
    expect(await page.getByLabel('Latent size').inputValue()).toBe('20');
    await page.screenshot({ path: `${artifactsDir}safetensors-vae.png` });
    const drawn = await Promise.all(IMAGE_PLOTS.map((id) => draws(page, id)));

    // A truncated copy (the last 1000 bytes of the data cut off): one line, and the loaded VAE stays.
    const bytes = await fs.readFile(FIXTURE);
    const cut = join(dir, 'cut.safetensors');
    await fs.writeFile(cut, bytes.subarray(0, bytes.length - 1000));
    await page.getByTestId('upload').setInputFiles(cut);
    const alert = page.getByTestId('error');
    await alert.filter({ hasText: 'cut.safetensors' }).waitFor();
    const message = (await alert.textContent()) ?? '';
    expect(message).toContain('Bad model file. This safetensors file cannot be loaded: cut.safetensors is damaged');
    expect(message).not.toContain('\n');
    expect(await progress.getAttribute('data-model')).toBe('vae');
    expect(await progress.getAttribute('data-state')).toBe('done');
    expect(await Promise.all(IMAGE_PLOTS.map((id) => draws(page, id)))).toEqual(drawn); // nothing redrawn
    expect(await page.getByTestId('plot-scatter').getAttribute('aria-label')).toBe('VAE: 1000 held-out test digits');

    // On data of another size (two moons: 2 features) the same model is refused, naming both sizes.
    await page.getByTestId('dataset').selectOption('two-moons');
    await page.getByTestId('data-summary').filter({ hasText: 'two-moons' }).waitFor();
    await page.getByTestId('upload').setInputFiles(FIXTURE);
    await alert.filter({ hasText: 'input features' }).waitFor();
    expect(await alert.textContent()).toContain(
      'model.safetensors holds a VAE for 784 input features, the current data (two-moons) has 2: load data of that size first.',
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
