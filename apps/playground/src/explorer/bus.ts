/**
 * The explorer's events from the worker reach the explorer through this bus, so the page's event switch needs
 * one line for all of them: `if (isExplorerEvent(event)) return emitExplorerEvent(event);`.
 */
import type { ExplorerEvent } from './protocol.js';

const listeners = new Set<(event: ExplorerEvent) => void>();

export function isExplorerEvent(event: { type: string }): event is ExplorerEvent {
  return event.type.startsWith('explorer.');
}

export function emitExplorerEvent(event: ExplorerEvent): void {
  for (const listener of listeners) listener(event);
}

/** Subscribes; returns the unsubscribe function (for a React effect's cleanup). */
export function onExplorerEvent(listener: (event: ExplorerEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
