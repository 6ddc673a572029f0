import { MODEL_LABELS, type ModelKind, type TrainSettings } from '../protocol.js';
import { fieldError, type NumericSetting, visibleFields } from '../state/fields.js';
import { LabelledSelect } from './LabelledSelect.js';

/**
 * The model section, generated from `SETTING_FIELDS`: the model picker and the settings that apply to it. A value
 * out of its field's range is kept as typed and shown with its message (`aria-invalid`), and the page disables
 * Train until it is corrected.
 */
export function SettingsForm({
  settings,
  isImage,
  warnings,
  onModel,
  onSetting,
}: {
  settings: TrainSettings;
  isImage: boolean;
  warnings: string[];
  onModel: (model: ModelKind) => void;
  onSetting: (key: NumericSetting, value: number) => void;
}) {
  return (
    <section>
      <h2>Model</h2>
      <LabelledSelect value={settings.model} labels={MODEL_LABELS} onChange={onModel} testId="model" label="Model" />
      {visibleFields(settings.model, isImage).map((field) => {
        const value = settings[field.key];
        const error = fieldError(field, value);
        const errorId = `error-${field.key}`;
        return (
          <div key={field.key}>
            <label className="field" title={field.hint}>
              <span>{field.label}</span>
              <input
                type="number"
                value={Number.isNaN(value) ? '' : value}
                step={field.step}
                min={field.min}
                max={field.max}
                aria-invalid={error !== null}
                aria-describedby={error ? errorId : undefined}
                data-testid={`setting-${field.key}`}
                onChange={(e) => onSetting(field.key, e.target.value === '' ? Number.NaN : Number(e.target.value))}
              />
            </label>
            {error && (
              <p className="field-error" id={errorId} role="alert" data-testid="field-error">
                {error}
              </p>
            )}
          </div>
        );
      })}
      {warnings.map((w) => (
        <p className="field-warning" key={w} data-testid="settings-warning">
          {w}
        </p>
      ))}
    </section>
  );
}
