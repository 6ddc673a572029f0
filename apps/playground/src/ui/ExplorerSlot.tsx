import { lazy, Suspense } from 'react';
import type { Request } from '../protocol.js';

// The explorer and its GPU scatter (regl-scatterplot) load when the tab is first opened, not with the page: they
// are not needed for the first figures (BENCHMARKS.md, "First load").
const ExplorerTab = lazy(() => import('../explorer/ExplorerTab.js').then((m) => ({ default: m.ExplorerTab })));

/**
 * The Explorer tab's panel: the dataset-scale latent explorer (`src/explorer/`, with its own props), fed by the
 * same worker as the rest of the page.
 */
export function ExplorerSlot({ send }: { send: (request: Request) => void }) {
  return (
    <div
      className="view"
      role="tabpanel"
      id="panel-explorer"
      aria-labelledby="tab-explorer"
      data-testid="explorer-slot"
    >
      <Suspense fallback={<p className="summary">Loading the explorer…</p>}>
        <ExplorerTab send={send} />
      </Suspense>
    </div>
  );
}
