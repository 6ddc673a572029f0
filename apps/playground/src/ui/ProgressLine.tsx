import { epochLabel } from '../epoch-label.js';
import { MODEL_LABELS, type Progress } from '../protocol.js';
import { backendLabel } from './backend-choice.js';

const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(2));

/** " · test loss 151.23 (held out, epoch 2)": evaluated at epoch ends (PCA: its test MSE per feature, once fitted). */
function testLine(progress: Progress): string {
  if (progress.model === 'pca')
    return progress.testLoss === null ? '' : ` · test MSE ${progress.testLoss.toPrecision(3)} (held out)`;
  const at = progress.testEpoch === null ? 'after the first epoch' : `held out, epoch ${progress.testEpoch}`;
  return ` · test loss ${fmt(progress.testLoss)} (${at})`;
}

/**
 * The run's state in one line: model, state, step, epoch, the recent loss (PCA: fitted, no loss), the KL warm-up
 * (β reached so far) and the time per step on each backend. Its data attributes are what the e2e tests wait on.
 */
export function ProgressLine({ progress, busy }: { progress: Progress | null; busy: string | null }) {
  if (busy) return <p className="progress">{busy}</p>;
  if (!progress) return <p className="progress">Pick a model and press Train.</p>;
  const total = progress.epochs * progress.stepsPerEpoch;
  const isPca = progress.model === 'pca';
  const warmup =
    progress.klWeight !== null && progress.klWarmupSteps > 0
      ? ` · KL warm-up: β ${progress.klWeight.toFixed(2)} of ${progress.beta} (${Math.min(progress.step, progress.klWarmupSteps)}/${progress.klWarmupSteps} steps)`
      : '';
  return (
    <div
      className="progress"
      data-testid="progress"
      data-job={progress.job}
      data-model={progress.model}
      data-step={progress.step}
      data-state={progress.state}
      data-loss={progress.loss ?? ''}
      data-backend={progress.backend}
      data-kl-weight={progress.klWeight ?? ''}
      data-test-loss={progress.testLoss ?? ''}
    >
      {!isPca && <progress max={total} value={Math.min(total, progress.step)} />}
      <span>
        {MODEL_LABELS[progress.model]} ·{' '}
        {isPca ? (progress.state === 'done' ? 'fitted' : progress.state) : progress.state}
        {isPca
          ? ''
          : ` · step ${progress.step} · ${epochLabel(progress.epoch, progress.epochs, progress.state === 'done')} · train loss (last 20 steps) ${fmt(progress.loss)} (reconstruction ${fmt(progress.reconstruction)}${progress.kl !== null ? `, KL ${fmt(progress.kl)}` : ''})`}
        <span data-testid="test-loss">{testLine(progress)}</span>
        <span data-testid="warmup">{warmup}</span>
      </span>
      <span className="timing" data-testid="timing">
        {Object.entries(progress.msPerStep)
          .map(([name, ms]) => `${backendLabel(name)}: ${ms.toFixed(1)} ms/step`)
          .join(' · ') || ''}
      </span>
    </div>
  );
}
