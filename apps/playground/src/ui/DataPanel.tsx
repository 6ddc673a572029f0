import { DATASET_LABELS, type DataSummary, type DatasetChoice } from '../protocol.js';
import { LabelledSelect } from './LabelledSelect.js';

/**
 * The data section: the dataset picker, the CSV file and its label column, and what is loaded. When an image set's
 * training split failed to load, it says so and offers to load it again.
 */
export function DataPanel({
  dataset,
  labelColumn,
  summary,
  busy,
  trainingFailed,
  onDataset,
  onLabelColumn,
  onRetryTraining,
}: {
  dataset: DatasetChoice;
  labelColumn: string;
  summary: DataSummary | null;
  busy: string | null;
  trainingFailed: boolean;
  onDataset: (choice: DatasetChoice, file?: File) => void;
  onLabelColumn: (value: string) => void;
  onRetryTraining: () => void;
}) {
  const classes = summary?.classes ? `, ${summary.classes} classes` : '';
  const pending = summary?.trainingPending ?? 'the training rows';
  const failed = trainingFailed && summary !== null && summary.n === null;
  // An image set's training split loads after its test split (the figures need only that): said until it is in.
  const text = summary
    ? summary.n === null
      ? failed
        ? `${summary.name}: ${pending} did not load.`
        : `${summary.name}: loading ${pending}…`
      : `${summary.name}: ${summary.n.toLocaleString('en')} × ${summary.d}${classes}`
    : (busy ?? (dataset === 'csv' ? 'Choose a CSV file.' : ''));
  // Trained on the rows above; the plots and the test loss use the held-out rows, never trained on.
  const heldOut = summary ? `Held out (plots, test loss): ${summary.heldOut}.` : null;
  return (
    <section>
      <h2>Data</h2>
      <LabelledSelect value={dataset} labels={DATASET_LABELS} onChange={onDataset} testId="dataset" label="Dataset" />
      {dataset === 'csv' && (
        <div className="csv">
          <label className="field">
            <span>Label column (name or index, optional)</span>
            <input
              value={labelColumn}
              onChange={(e) => onLabelColumn(e.target.value)}
              placeholder="e.g. species or -1"
            />
          </label>
          <input
            type="file"
            accept=".csv,.tsv,text/csv"
            data-testid="csv-file"
            aria-label="CSV file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onDataset('csv', file);
              e.target.value = '';
            }}
          />
        </div>
      )}
      <p className="summary" data-testid="data-summary">
        {text}
      </p>
      {failed && (
        <button type="button" onClick={onRetryTraining} data-testid="retry-training">
          Load them again
        </button>
      )}
      {heldOut && (
        <p className="summary" data-testid="held-out">
          {heldOut}
        </p>
      )}
    </section>
  );
}
