/**
 * Train (asks before it replaces a run in progress), Pause / Resume, and the comparison of PCA, an autoencoder
 * and a VAE. The only control named "Train" on the page. While the training rows load (`waitingFor`: an image set's
 * training split comes after the first figures) Train and Compare are disabled, and a line under them says why.
 */
export function RunControls({
  canStart,
  waitingFor,
  training,
  resumable,
  runInProgress,
  onStart,
  onPause,
  onResume,
}: {
  canStart: boolean;
  /** What Train and Compare wait for ("the 60,000 training digits"), or null. */
  waitingFor: string | null;
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
  const describedBy = waitingFor ? 'train-waiting' : undefined;
  return (
    <section className="buttons">
      <button
        type="button"
        className="primary"
        disabled={!canStart}
        onClick={() => start('train')}
        data-testid="train"
        aria-describedby={describedBy}
      >
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
      <button
        type="button"
        disabled={!canStart}
        onClick={() => start('compare')}
        data-testid="compare"
        aria-describedby={describedBy}
      >
        Compare PCA · AE · VAE
      </button>
      {waitingFor && (
        <p className="waiting" id="train-waiting" role="status" data-testid="train-waiting">
          Loading {waitingFor}… Train and Compare are enabled once they are in.
        </p>
      )}
    </section>
  );
}
