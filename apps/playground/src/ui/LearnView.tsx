import type { LearnModel, Request, TrainSettings } from '../protocol.js';
import type { AppState } from '../state/reducer.js';
import { LEARN_STEPS } from './learn-steps.js';
import { Plot } from './Plot.js';

/**
 * The "Learn" view: the argument from dimensionality reduction to the VAE, one step at a time, each with the
 * figures of a model shipped with the app (`public/models/`), a clickable latent plane where it helps, and a
 * "Train it yourself" button that puts that step's settings in the lab and opens its results view.
 */
export function LearnView({
  state,
  send,
  onTry,
}: {
  state: AppState;
  send: (request: Request) => void;
  onTry: (settings: Partial<TrainSettings>) => void;
}) {
  const decode = (model: LearnModel) => (px: number, py: number) => {
    const axes = state.plots[`shipped-${model}`]?.axes;
    if (!axes) return;
    send({ type: 'learnDecode', model, z: [(px - axes.bx) / axes.ax, (py - axes.by) / axes.ay] });
  };
  return (
    <div className="view learn" role="tabpanel" id="panel-learn" aria-labelledby="tab-learn" data-testid="learn-view">
      {LEARN_STEPS.map((step) => {
        const set = state.plots[`shipped-${step.model}`];
        return (
          <section
            key={step.id}
            className="learn-step"
            data-testid={`learn-${step.id}`}
            aria-labelledby={`h-${step.id}`}
          >
            <h2 id={`h-${step.id}`}>{step.title}</h2>
            {step.text.map((t) => (
              <p key={t.slice(0, 24)}>{t}</p>
            ))}
            {step.captions && <p className="hint">{step.captions.join(' · ')}</p>}
            <div className="grid">
              {/* Each shipped model's figure appears in one step only (one canvas per slot). */}
              {step.figures.map((key, i) => (
                <Plot
                  key={key}
                  slot={`shipped-${step.model}.${key}`}
                  plot={set?.[key]}
                  testId={`learn-${step.id}-figure-${i}`}
                  placeholder="Loading the shipped model…"
                  {...(key === 'scatter' && step.clickToDecode ? { onClick: decode(step.model) } : {})}
                />
              ))}
              {(step.also ?? []).flatMap((model, j) =>
                step.figures.map((key, i) => (
                  <Plot
                    key={`${model}.${key}`}
                    slot={`shipped-${model}.${key}`}
                    plot={state.plots[`shipped-${model}`]?.[key]}
                    testId={`learn-${step.id}-also-${j}-figure-${i}`}
                    placeholder="Loading the shipped model…"
                  />
                )),
              )}
              {step.clickToDecode && state.learnDecoded[step.model] && (
                <Plot
                  slot={`learn-decoded-${step.model}`}
                  plot={state.learnDecoded[step.model]}
                  testId={`learn-${step.id}-decoded`}
                />
              )}
            </div>
            <button type="button" data-testid={`learn-try-${step.id}`} onClick={() => onTry(step.tryIt)}>
              Train it yourself
            </button>
          </section>
        );
      })}
    </div>
  );
}
