/**
 * Train (asks before it replaces a run in progress), Pause / Resume, and the comparison of PCA, an autoencoder
 * and a VAE. The only control named "Train" on the page.
 */
export function RunControls({
  canStart,
  training,
  resumable,
  runInProgress,
  onStart,
  onPause,
  onResume,
}: {
  canStart: boolean;
  training: boolean;
  resumable: boolean;
  /** A run is training or paused mid-way: starting another one throws it away. */
  runInProgress: boolean;
  onStart: (kind: 'train' | 'compare') => void;
  onPause: () => void;
  onResume: () => void;
}) {
  const start = (kind: 'train' | 'compare') => {
    if (runInProgress && !globalThis.confirm('Stop the current run and start a new one? Its progress is lost.')) return;
    onStart(kind);
  };
  return (
    <section className="buttons">
      <button type="button" className="primary" disabled={!canStart} onClick={() => start('train')} data-testid="train">
        Train
      </button>
      {training ? (
        <button type="button" onClick={onPause} data-testid="pause">
          Pause
        </button>
      ) : (
        <button type="button" disabled={!resumable} onClick={onResume} data-testid="resume">
          Resume
        </button>
      )}
      <button type="button" disabled={!canStart} onClick={() => start('compare')} data-testid="compare">
        Compare PCA · AE · VAE
      </button>
    </section>
  );
}
