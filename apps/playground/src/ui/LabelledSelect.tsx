/** A picker over the keys of `labels`, each shown by its label (the dataset and model pickers). */
export function LabelledSelect<K extends string>({
  value,
  labels,
  onChange,
  testId,
  label,
}: {
  value: K;
  labels: Readonly<Record<K, string>>;
  onChange: (value: K) => void;
  testId: string;
  label: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as K)} data-testid={testId} aria-label={label}>
      {(Object.keys(labels) as K[]).map((k) => (
        <option key={k} value={k}>
          {labels[k]}
        </option>
      ))}
    </select>
  );
}
