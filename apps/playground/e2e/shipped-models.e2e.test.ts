/**
 * End to end: the pretrained models in public/models/ (scripts/train-shipped-models.mjs) give the results and
 * compare views their figures on first load, before anything trains, and the page shows the test loss their
 * recipes record (from `latentlab eval`). Pressing Train replaces them with the model trained here. The figures
 * need only MNIST's test split: they are drawn while the training split is held back, Train waits for it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LEARN_STEPS } from '../src/ui/learn-steps.js';
import {
  appRoot,
  artifactsDir,
  fileHarness,
  openApp,
  progressOf,
  QUICK_TRAIN,
  STALL_MS,
  setNumber,
  waitForData,
  waitForProgress,
} from './harness.js';

const h = fileHarness();

/** The figures of an image model in the results view (the loss chart: the shipped VAE's epochs from its recipe). */
const RESULT_PLOTS = ['plot-loss', 'plot-scatter', 'plot-reconstructions', 'plot-samples', 'plot-manifold'];
const COMPARE_PLOTS = [0, 1, 2].flatMap((i) => [`compare-scatter-${i}`, `compare-grid-${i}`, `compare-samples-${i}`]);

/**
 * How long after navigation the shipped figures may take: they need the backend, MNIST's test split (1.7 MB) and
 * the three models (≈ 1.7 MB). A generous bound for a loaded machine; it fails when they are not drawn at all.
 */
const FIRST_FIGURES_MS = 120_000;

const recipe = (name: string) =>
  JSON.parse(readFileSync(`${appRoot}public/models/${name}.recipe.json`, 'utf8')) as {
    test: { loss?: { loss: number } };
  };

const draws = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).getAttribute('data-draws')) ?? 0);

async function drawn(page: Page, ids: string[], timeout: number): Promise<void> {
  for (const id of ids) {
    await page.getByTestId(id).locator('xpath=self::canvas').waitFor({ timeout });
    await expect.poll(() => draws(page, id), { timeout }).toBeGreaterThan(0);
  }
}

describe('playground, shipped models', () => {
  it('draws every figure from the shipped VAE (and Compare from the three) before anything trains, with their test loss', async () => {
    const started = Date.now();
    const { page, context, errors } = await openApp(h, { waitForData: false });
    await drawn(page, RESULT_PLOTS, FIRST_FIGURES_MS);
    const resultsAfter = Date.now() - started;
    expect(resultsAfter).toBeLessThan(FIRST_FIGURES_MS);
    // Nothing trained: no run on the progress line, and the figures are the VAE's.
    expect(await page.getByTestId('progress').count()).toBe(0);
    expect(await page.getByTestId('plot-scatter').getAttribute('aria-label')).toMatch(/^VAE: /);
    // The test loss the recipe records (negative ELBO in nats per test digit), as the page shows it.
    const vaeLoss = recipe('vae').test.loss!.loss;
    const vaeLine = page.getByTestId('shipped-vae');
    expect(Number(await vaeLine.getAttribute('data-test-loss'))).toBe(vaeLoss);
    expect(await vaeLine.textContent()).toContain(`test loss ${vaeLoss.toFixed(2)} nats per digit`);
    expect(await page.getByTestId('plot-loss').getAttribute('aria-label')).toBe(
      `VAE: training loss per epoch (shipped model; test loss ${vaeLoss.toFixed(2)})`,
    );
    await page.screenshot({ path: `${artifactsDir}shipped-results.png` });
    // Its codes are distributions: the scatter draws q(z|x)'s ellipse for one test digit of each of the 10 classes.
    expect(await page.getByTestId('scatter-box').getAttribute('data-posteriors-shown')).toBe('10');
    // The shipped VAE is the current model: it can be saved and downloaded like one trained here.
    expect(await page.getByTestId('save').isEnabled()).toBe(true);
    expect(await page.getByTestId('download').isEnabled()).toBe(true);
    await page.getByTestId('save').click();
    await page.getByTestId('info').filter({ hasText: 'Saved VAE (pretrained, not trained here)' }).waitFor();

    await page.getByRole('tab', { name: 'Compare' }).click();
    await drawn(page, COMPARE_PLOTS, FIRST_FIGURES_MS);
    const compareAfter = Date.now() - started;
    for (const [i, prefix] of ['PCA', 'Deep AE', 'VAE'].entries()) {
      expect(await page.getByTestId(`compare-scatter-${i}`).getAttribute('aria-label')).toMatch(
        new RegExp(`^${prefix}`),
      );
    }
    const aeLoss = recipe('ae').test.loss!.loss;
    expect(await page.getByTestId('shipped-ae').textContent()).toContain(
      `test loss ${aeLoss.toFixed(2)} nats per digit (Bernoulli reconstruction)`,
    );
    await page.screenshot({ path: `${artifactsDir}shipped-compare.png` });
    console.log(`shipped figures: results drawn ${resultsAfter} ms after navigation, compare ${compareAfter} ms`);

    // Training here replaces them: the note goes, and the results view shows the run.
    await page.getByRole('tab', { name: 'Results' }).click();
    await page.getByTestId('model').selectOption('pca');
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    expect(await page.getByTestId('shipped-note').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('plot-scatter').getAttribute('aria-label'), { timeout: STALL_MS })
      .toMatch(/^PCA/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws the shipped figures while the training split is held back; Train waits for it, then trains on ?trainRows', async () => {
    // The training images' response is held until the test releases it (service workers blocked, so the route sees
    // the worker's request). Before #17's fix the first load awaited both splits: no figure came while it was held.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requested = false;
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 }, serviceWorkers: 'block' });
    await context.route('**/data/mnist/train-images-idx3-ubyte.gz', async (route) => {
      requested = true;
      await released;
      await route.continue();
    });
    const { page, errors } = await openApp(h, { context, query: `backend=wasm&${QUICK_TRAIN}`, waitForData: false });
    await drawn(page, RESULT_PLOTS, FIRST_FIGURES_MS);
    await page.getByRole('tab', { name: 'Learn' }).click();
    const first = LEARN_STEPS[0]!;
    await drawn(
      page,
      first.figures.map((_, i) => `learn-${first.id}-figure-${i}`),
      FIRST_FIGURES_MS,
    );
    await page.getByRole('tab', { name: 'Results' }).click();
    // The training split was asked for after the first figure, and is still held: Train and Compare wait, saying so.
    await expect.poll(() => requested, { timeout: STALL_MS }).toBe(true);
    expect(await page.getByTestId('data-summary').textContent()).toBe(
      'mnist-train: loading the 60,000 training digits…',
    );
    expect(await page.getByTestId('train').isDisabled()).toBe(true);
    expect(await page.getByTestId('compare').isDisabled()).toBe(true);
    expect(await page.getByTestId('train-waiting').textContent()).toContain('Loading the 60,000 training digits…');
    expect(await page.getByTestId('train').getAttribute('aria-describedby')).toBe('train-waiting');
    expect(await page.getByTestId('held-out').textContent()).toContain('the 10,000 test digits');

    // Released: the first 10 000 training digits (?trainRows) are trained on, in batches of 500.
    release();
    await waitForData(page, 10_000);
    expect(await page.getByTestId('train-waiting').count()).toBe(0);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await setNumber(page, 'Epochs', 1);
    await setNumber(page, 'Batch size', 500);
    await page.getByTestId('train').click();
    await waitForProgress(page, { job: 'main', state: 'done' });
    expect((await progressOf(page)).step).toBe(Math.ceil(10_000 / 500));
    expect(errors).toEqual([]);
    await context.close();
  });
  it('a training split that fails to download says so, keeps Train off, and loads on "Load them again"', async () => {
    // The first request of the training images fails (as a dropped connection would); later ones go through.
    let failures = 0;
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 1000 }, serviceWorkers: 'block' });
    await context.route('**/data/mnist/train-images-idx3-ubyte.gz', async (route) => {
      if (failures === 0) {
        failures += 1;
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    const { page } = await openApp(h, { context, query: `backend=wasm&${QUICK_TRAIN}`, waitForData: false });
    const summary = page.getByTestId('data-summary');
    await summary.filter({ hasText: 'mnist-train: the 60,000 training digits did not load.' }).waitFor({
      timeout: FIRST_FIGURES_MS,
    });
    expect(await page.getByTestId('error').textContent()).toMatch(/^Data could not be loaded\. The training rows/);
    expect(await page.getByTestId('train').isDisabled()).toBe(true);
    expect(await page.getByTestId('train-waiting').count()).toBe(0); // no longer claims to be loading
    await page.getByTestId('retry-training').click();
    await waitForData(page, 10_000);
    expect(failures).toBe(1);
    expect(await page.getByTestId('retry-training').count()).toBe(0);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await context.close();
  });
});
