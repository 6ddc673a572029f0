import { DATASET_LABELS, type DataSummary, type DatasetChoice } from '../protocol.js';
import { LabelledSelect } from './LabelledSelect.js';

/** The data section: the dataset picker, the CSV file and its label column, and what is loaded. */
export function DataPanel({
  dataset,
  labelColumn,
  summary,
  busy,
  onDataset,
  onLabelColumn,
}: {
  dataset: DatasetChoice;
  labelColumn: string;
  summary: DataSummary | null;
  busy: string | null;
  onDataset: (choice: DatasetChoice, file?: File) => void;
  onLabelColumn: (value: string) => void;
}) {
  const classes = summary?.classes ? `, ${summary.classes} classes` : '';
  // An image set's training split loads after its test split (the figures need only that): said until it is in.
  const text = summary
    ? summary.n === null
      ? `${summary.name}: loading ${summary.trainingPending ?? 'the training rows'}…`
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
      {heldOut && (
        <p className="summary" data-testid="held-out">
          {heldOut}
        </p>
      )}
    </section>
  );
}
