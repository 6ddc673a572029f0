/**
 * End to end: the defects issue #17 found in the lab, each with the check that would have caught it — invalid
 * settings, tabs, "CSV file…", two moons, Train during a run, KL warm-up progress, the compare view's models,
 * the decoded point in view, and nothing clipped at 1280 × 800 and 400 × 800 (by element bounds).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  appErrors,
  artifactsDir,
  fileHarness,
  openApp,
  progressOf,
  QUICK_TRAIN,
  STALL_MS,
  setNumber,
  waitForProgress,
} from './harness.js';

const h = fileHarness();

/** The app on the first 10 000 training digits, in a new context of this viewport. */
async function open(width = 1280, height = 800): Promise<Page> {
  return (await openApp(h, { query: QUICK_TRAIN, viewport: { width, height } })).page;
}

/** Elements that stick out of the viewport on the right, and whether the page scrolls sideways. */
async function clipped(page: Page): Promise<{ overflowing: string[]; scrollsSideways: boolean }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const overflowing = [...document.querySelectorAll('canvas, .plot, aside, main, header, .columns')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 || el.getBoundingClientRect().left < -0.5)
      .map((el) => `${el.getAttribute('data-testid') ?? el.tagName}: ${Math.round(el.getBoundingClientRect().right)}`);
    return { overflowing, scrollsSideways: document.documentElement.scrollWidth > width };
  });
}

describe('the lab', () => {
  it('an invalid setting gets a message and disables Train (latent size 0, learning rate −1, epochs 0, batch 0)', async () => {
    const page = await open();
    const train = page.getByTestId('train');
    expect(await train.isEnabled()).toBe(true);
    const cases: [string, number, string][] = [
      ['Latent size', 0, 'Latent size must be at least 1 (got 0).'],
      ['Learning rate', -1, 'Learning rate must be at least 0.00001 (got -1).'],
      ['Epochs', 0, 'Epochs must be at least 1 (got 0).'],
      ['Batch size', 0, 'Batch size must be at least 8 (got 0).'],
    ];
    for (const [label, bad, message] of cases) {
      const good = await page.getByLabel(label).inputValue();
      await setNumber(page, label, bad);
      await page.getByTestId('field-error').filter({ hasText: message }).waitFor();
      expect(await page.getByLabel(label).getAttribute('aria-invalid')).toBe('true');
      expect(await train.isDisabled()).toBe(true);
      expect(await page.getByTestId('compare').isDisabled()).toBe(true);
      await page.getByLabel(label).fill(good);
      await expect.poll(() => train.isEnabled()).toBe(true);
      expect(await page.getByTestId('field-error').count()).toBe(0);
    }
    // Settings that do not apply are not shown: PCA has no learning rate, epochs or β.
    await page.getByTestId('model').selectOption('pca');
    expect(await page.getByLabel('Learning rate').count()).toBe(0);
    expect(await page.getByLabel('β (KL weight)').count()).toBe(0);
    await page.close();
  });

  it('marks the views up as tabs, with one control named Train', async () => {
    const page = await open();
    const tabs = page.getByRole('tablist', { name: 'Views' }).getByRole('tab');
    expect(await tabs.count()).toBe(4); // Results, Compare, Explorer, Learn
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Results');
    expect(await page.getByRole('tabpanel').getAttribute('id')).toBe('panel-train');
    await page.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Compare');
    expect(await page.getByRole('tabpanel').getAttribute('id')).toBe('panel-compare');
    await page.keyboard.press('End');
    expect(await page.getByTestId('learn-view').isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('explorer-slot').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'Train', exact: true }).count()).toBe(0);
    await page.close();
  });

  it('"CSV file…" forgets the previous data and disables Train until a file is picked', async () => {
    const page = await open();
    await page.getByTestId('model').selectOption('pca');
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    // The PCA's own scatter (the shipped VAE's is there from the start); its figures follow the 'done' line.
    await expect
      .poll(() => page.getByTestId('plot-scatter').getAttribute('aria-label'), { timeout: STALL_MS })
      .toMatch(/^PCA/);
    await page.getByTestId('dataset').selectOption('csv');
    await page.getByTestId('data-summary').filter({ hasText: 'Choose a CSV file.' }).waitFor();
    expect(await page.getByTestId('train').isDisabled()).toBe(true);
    expect(await page.getByTestId('save').isDisabled()).toBe(true);
    expect(await page.getByTestId('plot-scatter').locator('xpath=self::canvas').count()).toBe(0);
    expect(await page.getByTestId('progress').count()).toBe(0);
    await page.getByTestId('csv-file').setInputFiles({
      name: 'pts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b,c\n1,2,3\n2,3,5\n3,5,7\n4,4,9\n5,7,11\n6,6,14\n'),
    });
    // 6 rows: round(0.2 · 6) = 1 held out, 5 to train on.
    await page.getByTestId('data-summary').filter({ hasText: 'pts.csv: 5 × 3' }).waitFor();
    expect(await page.getByTestId('held-out').textContent()).toContain('a seeded 20 % of the 6 rows (1)');
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await page.close();
  });

  it('two moons: the scatter shows both moons (rows spread over the set, not the first 1000)', async () => {
    const page = await open();
    await page.getByTestId('dataset').selectOption('two-moons');
    await page.getByTestId('data-summary').filter({ hasText: 'two-moons' }).waitFor();
    await page.getByTestId('model').selectOption('pca');
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    await page.getByTestId('plot-scatter').locator('xpath=self::canvas').waitFor();
    expect(await page.getByTestId('scatter-box').getAttribute('data-classes-shown')).toBe('2');
    // PCA is fitted, not trained: a scree plot instead of a loss curve, no "loss –".
    await page.getByTestId('plot-loss').locator('xpath=self::canvas').waitFor();
    expect(await page.getByTestId('plot-loss').getAttribute('aria-label')).toBe('PCA: share of variance per component');
    // Axes named after the features, the titles short enough for their plots.
    expect(await page.getByTestId('plot-reconstructions').getAttribute('aria-label')).toBe(
      'PCA: held-out vs reconstruction',
    );
    expect(await page.getByTestId('progress').textContent()).toContain('PCA · fitted');
    expect(await page.getByTestId('progress').textContent()).not.toContain('loss');
    await page.close();
  });

  it('Train during a run asks first; the KL warm-up shows its progress', async () => {
    const page = await open();
    await page.getByTestId('model').selectOption('vae');
    await setNumber(page, 'Epochs', 2);
    // The defaults reach β within the run: no warning.
    expect(await page.getByTestId('settings-warning').count()).toBe(0);
    await setNumber(page, 'KL warm-up steps', 1000);
    await page.getByTestId('settings-warning').filter({ hasText: 'β only reaches' }).waitFor();
    await setNumber(page, 'KL warm-up steps', 100);
    await page.getByTestId('train').click();
    await waitForProgress(page, { minStep: 3, state: 'training' });
    expect(await page.getByTestId('warmup').textContent()).toMatch(/KL warm-up: β 0\.\d\d of 1 \(\d+\/100 steps\)/);
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const before = (await progressOf(page)).step;
    await page.getByTestId('train').click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain('Stop the current run');
    // Dismissed: the same run carries on.
    await waitForProgress(page, { minStep: before + 3 });
    await page.getByTestId('pause').click();
    await waitForProgress(page, { state: 'paused' });
    await page.close();
  });

  it('compare: its VAE becomes the current model (explorable under Results, savable); nothing clipped at 1280 × 800', async () => {
    const page = await open(1280, 800);
    await setNumber(page, 'Epochs', 1);
    await page.getByTestId('compare').click();
    await waitForProgress(page, { job: 'compare', model: 'vae', state: 'done' });
    for (const i of [0, 1, 2]) await page.getByTestId(`compare-grid-${i}`).locator('xpath=self::canvas').waitFor();
    expect(await clipped(page)).toEqual({ overflowing: [], scrollsSideways: false });
    await page.screenshot({ path: `${artifactsDir}lab-compare-1280.png`, fullPage: true });
    expect(await page.getByTestId('save').isEnabled()).toBe(true);
    expect(await page.getByTestId('download').isEnabled()).toBe(true);
    await page.getByTestId('tab-train').click();
    await page.getByTestId('plot-scatter').locator('xpath=self::canvas').waitFor();
    expect(await page.getByTestId('plot-scatter').getAttribute('aria-label')).toMatch(/^VAE: /);
    expect(await clipped(page)).toEqual({ overflowing: [], scrollsSideways: false });
    // Clicking the latent plane shows the decoded point within the viewport.
    const box = (await page.getByTestId('plot-scatter').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const decoded = page.getByTestId('plot-decoded').locator('xpath=self::canvas');
    await decoded.waitFor();
    await expect
      .poll(async () => {
        const b = (await decoded.boundingBox())!;
        return b.y >= 0 && b.y + b.height <= 800;
      })
      .toBe(true);
    expect(await decoded.getAttribute('aria-label')).toMatch(/^decode\(/);
    await page.getByTestId('save').click();
    const info = page.getByTestId('info');
    await info.filter({ hasText: 'Saved VAE' }).waitFor();
    expect(await info.textContent()).not.toMatch(/Saved\.\s*Saved/);
    await page.close();
  });

  it('400 × 800: one column, no plot wider than the screen', async () => {
    const page = await open(400, 800);
    await page.getByTestId('model').selectOption('pca');
    await page.getByTestId('train').click();
    await waitForProgress(page, { model: 'pca', state: 'done' });
    await page.getByTestId('plot-manifold').locator('xpath=self::canvas').waitFor();
    const aside = (await page.locator('aside').boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    expect(main.y).toBeGreaterThanOrEqual(aside.y + aside.height - 1); // stacked, not side by side
    expect(await clipped(page)).toEqual({ overflowing: [], scrollsSideways: false });
    await page.screenshot({ path: `${artifactsDir}lab-400.png`, fullPage: true });
    await page.close();
  });

  it('logs no console errors', () => {
    expect(appErrors(h).flat()).toEqual([]);
  });
});
