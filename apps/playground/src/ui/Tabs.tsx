import { type KeyboardEvent, useRef } from 'react';
import type { View } from '../state/reducer.js';

/** The views, in order, with their tab labels. */
export const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'train', label: 'Results' },
  { view: 'compare', label: 'Compare' },
  { view: 'explorer', label: 'Explorer' },
  { view: 'learn', label: 'Learn' },
];

/**
 * The view switcher, marked up as WAI-ARIA tabs: a `tablist` of `tab`s with `aria-selected` and `aria-controls`
 * pointing at the `tabpanel`; the arrow keys, Home and End move between tabs (roving `tabIndex`).
 */
export function Tabs({ view, onView }: { view: View; onView: (view: View) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, i: number) => {
    const last = VIEWS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (i + 1) % VIEWS.length
        : event.key === 'ArrowLeft'
          ? (i + last) % VIEWS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    onView(VIEWS[next]!.view);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Views">
      {VIEWS.map(({ view: v, label }, i) => (
        <button
          type="button"
          role="tab"
          key={v}
          id={`tab-${v}`}
          ref={(el) => {
            refs.current[i] = el;
          }}
          aria-selected={view === v}
          aria-controls={`panel-${v}`}
          tabIndex={view === v ? 0 : -1}
          className={view === v ? 'on' : ''}
          onClick={() => onView(v)}
          onKeyDown={(e) => onKey(e, i)}
          data-testid={`tab-${v}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
