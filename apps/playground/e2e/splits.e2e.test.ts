/**
 * End to end: honest splits (#17). MNIST and Fashion-MNIST train on their 60 000 training images; the latent
 * scatter, the reconstructions and the test loss come from the 10 000 held-out test images and say so; synthetic
 * data holds out a seeded 20 %. The training run here uses all 60 000 digits (no `?trainRows`).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  appErrors,
  artifactsDir,
  fileHarness,
  openApp,
  progressOf,
  STALL_MS,
  setNumber,
  waitForProgress,
} from './harness.js';

/**
 * After one epoch the held-out negative ELBO and the training loss of the last 20 steps are close (a 2-d VAE
 * on MNIST is far from over-fitting): the test loss lies within [1/1.25, 1.25] × the training loss.
 */
const TEST_TO_TRAIN = 1.25;

const h = fileHarness();

async function open(query = ''): Promise<Page> {
  return (await openApp(h, { context: 'shared', query, viewport: { width: 1280, height: 800 } })).page;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe('playground, honest splits', () => {
  it('trains on the 60 000 MNIST training digits; plots and test loss come from the 10 000 held-out test digits', async () => {
    const page = await open('backend=wasm');
    expect(await text(page, 'data-summary')).toContain('mnist-train: 60,000 × 784, 10 classes');
    expect(await text(page, 'held-out')).toContain('Held out (plots, test loss): the 10,000 test digits.');
    await page.getByTestId('model').selectOption('vae');
    await setNumber(page, 'Latent size', 2);
    await setNumber(page, 'Epochs', 1);
    await setNumber(page, 'Batch size', 256);
    await setNumber(page, 'Learning rate', 0.002);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 3, state: 'training' });
    // The test loss is evaluated at epoch ends only: none yet in the first epoch.
    expect(await text(page, 'test-loss')).toContain('test loss – (after the first epoch)');
    await waitForProgress(page, { state: 'done' });
    const done = await progressOf(page);
    // One epoch over n = 60 000 training digits in batches of 256.
    expect(done.step).toBe(Math.ceil(60_000 / 256));
    const testLoss = Number(await page.getByTestId('progress').getAttribute('data-test-loss'));
    expect(Number.isFinite(testLoss)).toBe(true);
    expect(testLoss / done.loss).toBeLessThan(TEST_TO_TRAIN);
    expect(done.loss / testLoss).toBeLessThan(TEST_TO_TRAIN);
    expect(await text(page, 'test-loss')).toBe(` · test loss ${testLoss.toFixed(2)} (held out, epoch 1)`);
    // The figures of the held-out digits say so; the loss plot's title carries the test loss.
    await expect
      .poll(() => page.getByTestId('plot-scatter').getAttribute('aria-label'))
      .toBe('VAE: 1000 held-out test digits');
    expect(await page.getByTestId('plot-reconstructions').getAttribute('aria-label')).toBe(
      'VAE: held-out (top), reconstructions',
    );
    // The plots of the finished run arrive just after its last progress line.
    await expect
      .poll(() => page.getByTestId('plot-loss').getAttribute('aria-label'))
      .toBe(`VAE: training loss · test loss ${testLoss.toPrecision(4)} (epoch 1)`);
    await page.screenshot({ path: `${artifactsDir}splits-mnist.png`, fullPage: true });
    await page.close();
  });

  it('Fashion-MNIST loads its 60 000 training images; two moons holds out a seeded 20 %', async () => {
    const page = await open();
    await page.getByTestId('dataset').selectOption('fashion-mnist');
    await page
      .getByTestId('data-summary')
      .filter({ hasText: 'fashion-mnist-train: 60,000 × 784, 10 classes' })
      .waitFor({ timeout: STALL_MS });
    expect(await text(page, 'held-out')).toContain('the 10,000 test images');
    await page.getByTestId('dataset').selectOption('two-moons');
    // 3 000 points, round(0.2 · 3000) = 600 held out.
    await page.getByTestId('data-summary').filter({ hasText: 'two-moons: 2,400 × 2' }).waitFor({ timeout: STALL_MS });
    expect(await text(page, 'held-out')).toContain('a seeded 20 % of the 3,000 rows (600)');
    await page.getByTestId('model').selectOption('pca');
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    await expect.poll(() => text(page, 'test-loss')).toMatch(/^ · test MSE \d\.\d+(e-\d+)? \(held out\)$/);
    // The plots of the finished fit arrive just after its last progress line.
    await expect
      .poll(() => page.getByTestId('plot-reconstructions').getAttribute('aria-label'))
      .toBe('PCA: held-out vs reconstruction');
    await page.close();
  });

  it('logs no console errors', () => {
    expect(appErrors(h).flat()).toEqual([]);
  });
});
