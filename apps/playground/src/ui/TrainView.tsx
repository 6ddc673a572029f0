import { useEffect, useMemo, useRef } from 'react';
import type { PlotSet } from '../protocol.js';
import type { AppState } from '../state/reducer.js';
import { type Marker, Plot } from './Plot.js';
import { ShippedNote } from './ShippedNote.js';

/**
 * The lab's results: loss curves, the latent scatter (click to decode a code, two clicks interpolate), inputs
 * and reconstructions, decoded prior samples and the decoded grid. The decoded point appears beside the scatter
 * and is scrolled into view.
 */
export function TrainView({ state, onPick }: { state: AppState; onPick: (px: number, py: number) => void }) {
  const main: PlotSet = state.plots.main ?? {};
  const isImage = state.summary?.imageShape != null;
  const markers: Marker[] = useMemo(
    () => state.picks.map((p, i) => ({ x: p.x, y: p.y, label: i === 0 ? 'A' : 'B' })),
    [state.picks],
  );
  const decodedRef = useRef<HTMLDivElement>(null);
  const draws = state.decoded?.draws;
  useEffect(() => {
    if (draws !== undefined) decodedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [draws]);
  const isPca = state.progress?.model === 'pca';
  const isVae = (state.progress?.model ?? (state.showingShipped ? 'vae' : null)) === 'vae';
  return (
    <div className="view" role="tabpanel" id="panel-train" aria-labelledby="tab-train">
      {state.showingShipped && (
        <ShippedNote models={state.shipped.filter((m) => m.name === 'vae')} testId="shipped-note" />
      )}
      <Plot
        slot="main.loss"
        plot={main.loss}
        testId="plot-loss"
        placeholder={
          isPca
            ? 'PCA is fitted in one pass: its scree plot appears here.'
            : state.showingShipped
              ? 'The shipped VAE’s training loss per epoch appears here.'
              : 'Loss curves (reconstruction and KL) appear here while training.'
        }
      />
      <div className="grid">
        <div className="scatter-with-decode">
          <div
            data-testid="scatter-box"
            data-classes-shown={main.classesShown ?? ''}
            data-posteriors-shown={main.posteriorsShown ?? ''}
          >
            <Plot slot="main.scatter" plot={main.scatter} testId="plot-scatter" onClick={onPick} markers={markers} />
            <p className="hint">
              Click the latent plane to decode a point; two clicks interpolate between them
              {state.settings.latentDim > 2 ? ' (other dimensions 0)' : ''}.
              {isVae && ' Each ellipse is the VAE’s posterior q(z|x) = N(μ, σ²) of one digit per class (μ ± σ).'}
            </p>
          </div>
          {state.decoded && (
            <div ref={decodedRef}>
              <Plot slot="decoded" plot={state.decoded} testId="plot-decoded" />
            </div>
          )}
        </div>
        <Plot slot="main.reconstructions" plot={main.reconstructions} testId="plot-reconstructions" />
        <Plot slot="main.samples" plot={main.samples} testId="plot-samples" />
        {isImage && <Plot slot="main.manifold" plot={main.manifold} testId="plot-manifold" />}
      </div>
      {state.strip && <Plot slot="interpolation" plot={state.strip} testId="plot-interpolation" />}
    </div>
  );
}
