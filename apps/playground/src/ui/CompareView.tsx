import type { PlotSet, ShippedModelInfo } from '../protocol.js';
import { Plot } from './Plot.js';
import { ShippedNote } from './ShippedNote.js';

/** PCA, a deep autoencoder and a VAE trained on the same data: scatters, decoded grids and prior samples. */
export function CompareView({ plots, shipped }: { plots: Record<string, PlotSet>; shipped: ShippedModelInfo[] }) {
  return (
    <div
      className="view compare"
      data-testid="compare-view"
      role="tabpanel"
      id="panel-compare"
      aria-labelledby="tab-compare"
    >
      <p className="hint">
        The same data and latent size for all three. An autoencoder's codes leave gaps that decode to nonsense; the
        VAE's KL term packs them around N(0, I), so its whole grid decodes to plausible images. When all three are done,
        the VAE becomes the current model: explore it under Results, save or download it.
      </p>
      {shipped.length > 0 && <ShippedNote models={shipped} testId="shipped-compare-note" />}
      <div className="columns">
        {[0, 1, 2].map((i) => {
          const job = `compare-${i}`;
          const set = plots[job];
          // Image data shows the decoded grid; other data its reconstructions.
          const grid = set?.manifold ? 'manifold' : 'reconstructions';
          return (
            <div key={job} className="column">
              <Plot
                slot={`${job}.scatter`}
                plot={set?.scatter}
                testId={`compare-scatter-${i}`}
                placeholder="Waiting…"
              />
              <Plot slot={`${job}.${grid}`} plot={set?.[grid]} testId={`compare-grid-${i}`} placeholder="Waiting…" />
              <Plot
                slot={`${job}.samples`}
                plot={set?.samples}
                testId={`compare-samples-${i}`}
                placeholder="Waiting…"
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
