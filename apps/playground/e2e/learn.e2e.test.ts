/**
 * End to end: the Learn view walks the argument (encode/decode → PCA → autoencoders → holes → VAE → β); every step's
 * figures are drawn from the models shipped in public/models/ without training, a click on a latent plane decodes
 * that code with the shipped model, and each "Train it yourself" puts the step's settings in the lab.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LEARN_STEPS } from '../src/ui/learn-steps.js';
import { artifactsDir, fileHarness, openApp, STALL_MS } from './harness.js';

const h = fileHarness();

const draws = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).getAttribute('data-draws')) ?? 0);

async function drawn(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).locator('xpath=self::canvas').waitFor({ timeout: STALL_MS });
  await expect.poll(() => draws(page, testId), { timeout: STALL_MS }).toBeGreaterThan(0);
}

const MODEL_OF = { pca: 'pca', 'deep-ae': 'deep-ae', vae: 'vae', 'linear-ae': 'linear-ae' } as const;

describe('playground, Learn view', () => {
  it('draws each step from the shipped models, decodes a clicked code, and each "Train it yourself" sets the lab', async () => {
    const { page, context, errors } = await openApp(h);
    const tab = page.getByRole('tab', { name: 'Learn' });
    await tab.click();
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-learn');

    for (const step of LEARN_STEPS) {
      const section = page.getByTestId(`learn-${step.id}`);
      expect(await section.getByRole('heading').textContent()).toBe(step.title);
      for (const [i] of step.figures.entries()) {
        await drawn(page, `learn-${step.id}-figure-${i}`);
        for (const [j] of (step.also ?? []).entries()) await drawn(page, `learn-${step.id}-also-${j}-figure-${i}`);
      }
      if (step.clickToDecode) {
        const scatter = page.getByTestId(`learn-${step.id}-figure-${step.figures.indexOf('scatter')}`);
        const box = (await scatter.boundingBox())!;
        await scatter.click({ position: { x: box.width / 2, y: box.height / 2 } });
        await drawn(page, `learn-${step.id}-decoded`);
        expect(await page.getByTestId(`learn-${step.id}-decoded`).getAttribute('aria-label')).toMatch(/^decode\(/);
      }
    }
    await page.screenshot({ path: `${artifactsDir}learn.png`, fullPage: true });

    for (const step of LEARN_STEPS) {
      await page.getByTestId(`learn-try-${step.id}`).click();
      // The lab's results view opens with the step's settings.
      expect(await page.getByRole('tab', { name: 'Results' }).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId('model').inputValue()).toBe(MODEL_OF[step.tryIt.model!]);
      expect(await page.getByLabel('Latent size').inputValue()).toBe(String(step.tryIt.latentDim));
      if (step.tryIt.beta !== undefined) {
        expect(Number(await page.getByLabel('β (KL weight)').inputValue())).toBe(step.tryIt.beta);
      }
      expect(await page.getByTestId('train').isEnabled()).toBe(true);
      await page.getByRole('tab', { name: 'Learn' }).click();
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
