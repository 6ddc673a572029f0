import { ExplorerTab } from '../explorer/ExplorerTab.js';
import type { Request } from '../protocol.js';

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
      <ExplorerTab send={send} />
    </div>
  );
}
