import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type TrainSettings } from '../protocol.js';
import { fieldError, SETTING_FIELDS, settingsWarnings, validateSettings, visibleFields } from './fields.js';

const field = (key: string) => SETTING_FIELDS.find((f) => f.key === key)!;

describe('settings fields', () => {
  it('the defaults are valid for every model on images and other data', () => {
    for (const model of ['pca', 'linear-ae', 'deep-ae', 'vae'] as const) {
      for (const isImage of [true, false])
        expect(validateSettings({ ...DEFAULT_SETTINGS, model }, isImage)).toEqual({});
    }
  });

  it('names the field, the bound and the value for the values the issue found ignored', () => {
    const bad: [keyof TrainSettings, number, string][] = [
      ['latentDim', 0, 'Latent size must be at least 1 (got 0).'],
      ['learningRate', -1, `Learning rate must be at least ${field('learningRate').min} (got -1).`],
      ['epochs', 0, 'Epochs must be at least 1 (got 0).'],
      ['batchSize', 0, 'Batch size must be at least 8 (got 0).'],
      ['epochs', 2.5, 'Epochs must be a whole number (got 2.5).'],
      ['batchSize', 5000, 'Batch size must be at most 1024 (got 5000).'],
    ];
    for (const [key, value, message] of bad) {
      expect(validateSettings({ ...DEFAULT_SETTINGS, [key]: value }, true)).toEqual({ [key]: message });
    }
    expect(fieldError(field('beta'), Number.NaN)).toBe('β (KL weight) must be a number.');
  });

  it('shows and checks only the settings that apply to the model and data', () => {
    const keys = (model: TrainSettings['model'], isImage: boolean) => visibleFields(model, isImage).map((f) => f.key);
    expect(keys('pca', true)).toEqual(['latentDim']);
    expect(keys('vae', true)).not.toContain('lossWeightC');
    expect(keys('vae', false)).toContain('lossWeightC');
    expect(keys('deep-ae', true)).not.toContain('beta');
    // PCA ignores the learning rate, so an invalid one does not block fitting it.
    expect(validateSettings({ ...DEFAULT_SETTINGS, model: 'pca', learningRate: -1 }, true)).toEqual({});
  });
});

describe('settingsWarnings', () => {
  it('warns when the KL warm-up outlasts the run, with the β it reaches', () => {
    // 2 epochs of 10 000 examples in batches of 128: 2 · ⌈10000/128⌉ = 158 steps < 200.
    const s = { ...DEFAULT_SETTINGS, epochs: 2, batchSize: 128, klWarmupSteps: 200, beta: 1 };
    expect(settingsWarnings(s, 10_000)).toEqual([
      `The run has 158 steps but the KL warm-up 200: β only reaches ${(158 / 200).toFixed(2)} of 1.`,
    ]);
    expect(settingsWarnings({ ...s, epochs: 3 }, 10_000)).toEqual([]);
    expect(settingsWarnings({ ...s, model: 'deep-ae' }, 10_000)).toEqual([]);
  });

  it("the defaults reach β within the default run, on MNIST's 60 000 training digits and a synthetic set's 2 400", () => {
    expect(settingsWarnings(DEFAULT_SETTINGS, 60_000)).toEqual([]);
    expect(settingsWarnings(DEFAULT_SETTINGS, 2400)).toEqual([]); // 3000 rows, 20 % held out
    expect(DEFAULT_SETTINGS.epochs * Math.ceil(2400 / DEFAULT_SETTINGS.batchSize)).toBeGreaterThanOrEqual(
      DEFAULT_SETTINGS.klWarmupSteps,
    );
  });
});
