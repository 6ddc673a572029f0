import { BACKEND_CHOICES, type BackendChoice, type BackendStatus } from '../protocol.js';
import { BACKEND_LABELS, backendLabel } from './backend-choice.js';

/** The header: the backend picker, the active backend with its capabilities, and the fallbacks taken. */
export function BackendBar({
  backend,
  switching,
  onChoose,
}: {
  backend: BackendStatus | null;
  switching: BackendChoice | null;
  onChoose: (name: BackendChoice) => void;
}) {
  return (
    <header>
      <h1>Latentlab playground</h1>
      <div className="backend" data-testid="backend-bar">
        <span>Backend</span>
        <fieldset className="segmented" aria-label="Backend">
          {BACKEND_CHOICES.map((name) => (
            <button
              type="button"
              key={name}
              aria-pressed={backend?.name === name}
              className={backend?.name === name ? 'on' : ''}
              disabled={switching !== null || backend === null}
              onClick={() => onChoose(name)}
              data-testid={`backend-${name}`}
            >
              {BACKEND_LABELS[name]}
            </button>
          ))}
        </fieldset>
        <span className="status" data-testid="backend-status" data-backend={backend?.name ?? ''}>
          {switching
            ? `switching to ${BACKEND_LABELS[switching]}…`
            : backend
              ? `active: ${backend.detail}`
              : 'starting…'}
        </span>
        <span
          className={backend?.crossOriginIsolated ? 'badge ok' : 'badge'}
          title="SharedArrayBuffer (WASM threads) needs a cross-origin-isolated page"
        >
          {backend?.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated: no WASM threads'}
        </span>
      </div>
      {backend && backend.fallbacks.length > 0 && (
        <ul className="fallbacks" data-testid="fallbacks">
          {backend.fallbacks.map((f) => (
            <li key={f.backend}>
              {backendLabel(f.backend)} skipped: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </header>
  );
}
