/**
 * Where the dataset-scale latent explorer mounts (`src/explorer/`, built separately with its own props). Until it
 * is wired in, the tab says what it will show.
 */
export function ExplorerSlot() {
  return (
    <div
      className="view"
      role="tabpanel"
      id="panel-explorer"
      aria-labelledby="tab-explorer"
      data-testid="explorer-slot"
    >
      <p className="hint">Every code of the dataset in one zoomable scatter: coming here.</p>
    </div>
  );
}
