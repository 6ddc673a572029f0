/**
 * The model form, described once: each numeric setting's label, step, bounds, whether it must be an integer, the
 * models (and data) it applies to, and a hint. The form is generated from this list (`ui/SettingsForm.tsx`) and
 * the same description validates what was typed, so a value outside its range gets a message and disables Train
 * instead of being ignored silently.
 *
 * @example
 * const errors = validateSettings({ ...DEFAULT_SETTINGS, latentDim: 0 }, true);
 * // errors.latentDim === 'Latent size must be at least 1 (got 0).'
 */
import type { ModelKind, TrainSettings } from '../protocol.js';

/** The numeric settings (everything but the model kind). */
export type NumericSetting = Exclude<keyof TrainSettings, 'model'>;

export interface FieldSpec {
  key: NumericSetting;
  label: string;
  step: number;
  min: number;
  max: number;
  integer: boolean;
  /** The models the setting changes; it is hidden for the others. */
  models: readonly ModelKind[];
  /** Whether it applies to image data, to other data, or to both. */
  data: 'any' | 'image' | 'other';
  hint?: string;
}

const TRAINED: readonly ModelKind[] = ['linear-ae', 'deep-ae', 'vae'];
const ALL: readonly ModelKind[] = ['pca', ...TRAINED];

export const SETTING_FIELDS: readonly FieldSpec[] = Object.freeze([
  { key: 'latentDim', label: 'Latent size', step: 1, min: 1, max: 64, integer: true, models: ALL, data: 'any' },
  {
    key: 'beta',
    label: 'β (KL weight)',
    step: 0.1,
    min: 0,
    max: 100,
    integer: false,
    models: ['vae'],
    data: 'any',
    hint: 'weight of the KL term: loss = reconstruction + β·KL',
  },
  {
    key: 'lossWeightC',
    label: 'C (Gaussian loss weight)',
    step: 0.1,
    min: 0.001,
    max: 1000,
    integer: false,
    models: ['vae'],
    data: 'other',
    hint: 'VAE on non-image data: C = 1/(2c)',
  },
  {
    key: 'klWarmupSteps',
    label: 'KL warm-up steps',
    step: 10,
    min: 0,
    max: 100_000,
    integer: true,
    models: ['vae'],
    data: 'any',
    hint: 'β rises linearly from 0 to its value over this many steps',
  },
  {
    key: 'learningRate',
    label: 'Learning rate',
    step: 0.0005,
    min: 0.00001,
    max: 1,
    integer: false,
    models: TRAINED,
    data: 'any',
  },
  { key: 'epochs', label: 'Epochs', step: 1, min: 1, max: 200, integer: true, models: TRAINED, data: 'any' },
  { key: 'batchSize', label: 'Batch size', step: 16, min: 8, max: 1024, integer: true, models: TRAINED, data: 'any' },
]);

/** The fields shown for a model on image (`isImage`) or other data. */
export function visibleFields(model: ModelKind, isImage: boolean): FieldSpec[] {
  return SETTING_FIELDS.filter(
    (f) => f.models.includes(model) && (f.data === 'any' || (f.data === 'image') === isImage),
  );
}

/** Why `value` is not a valid value of `field`, or null when it is. */
export function fieldError(field: FieldSpec, value: number): string | null {
  if (!Number.isFinite(value)) return `${field.label} must be a number.`;
  if (field.integer && !Number.isInteger(value)) return `${field.label} must be a whole number (got ${value}).`;
  if (value < field.min) return `${field.label} must be at least ${field.min} (got ${value}).`;
  if (value > field.max) return `${field.label} must be at most ${field.max} (got ${value}).`;
  return null;
}

/** A message for every visible field whose value is invalid (empty when the settings can be trained). */
export function validateSettings(settings: TrainSettings, isImage: boolean): Partial<Record<NumericSetting, string>> {
  const errors: Partial<Record<NumericSetting, string>> = {};
  for (const field of visibleFields(settings.model, isImage)) {
    const message = fieldError(field, settings[field.key]);
    if (message) errors[field.key] = message;
  }
  return errors;
}

/**
 * Settings that are valid but work against the run: a KL warm-up longer than the run never reaches β
 * (β_t = β · min(1, t / warm-up steps), core's `klWarmup`). `n` is the number of training examples.
 */
export function settingsWarnings(settings: TrainSettings, n: number): string[] {
  if (settings.model !== 'vae' || settings.klWarmupSteps === 0) return [];
  const steps = settings.epochs * Math.ceil(n / settings.batchSize);
  if (!(steps < settings.klWarmupSteps)) return [];
  const reached = (settings.beta * steps) / settings.klWarmupSteps;
  return [
    `The run has ${steps} steps but the KL warm-up ${settings.klWarmupSteps}: β only reaches ${reached.toFixed(2)} of ${settings.beta}.`,
  ];
}
