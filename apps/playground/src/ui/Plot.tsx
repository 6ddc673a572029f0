import { createContext, useContext, useEffect, useRef } from 'react';
import type { PlotInfo, PlotSlot, Request } from '../protocol.js';

export interface Marker {
  x: number;
  y: number;
  label: string;
}

/** Sends a request (and the objects to transfer) to the worker; provided by the App. */
export const WorkerLink = createContext<(request: Request, transfer?: Transferable[]) => void>(() => undefined);

let lastId = 0;
/** Canvases already handed to the worker (`transferControlToOffscreen` works once per canvas). */
const transferred = new WeakMap<HTMLCanvasElement, number>();

/**
 * A plot the worker draws: the canvas is handed to the worker once (`transferControlToOffscreen`) and the worker
 * draws `slot`'s plots straight into it, so the page does no pixel work. Markers (the picked latent codes) sit on
 * top as HTML, placed in percent of the plot's size (`x`, `y` are in the plot's own CSS pixels).
 */
export function Plot({
  slot,
  plot,
  testId,
  onClick,
  markers = [],
  placeholder,
}: {
  slot: PlotSlot;
  plot: PlotInfo | undefined;
  testId: string;
  onClick?: (x: number, y: number) => void;
  markers?: Marker[];
  placeholder?: string;
}) {
  const send = useContext(WorkerLink);
  const ref = useRef<HTMLCanvasElement>(null);
  const shown = plot !== undefined;
  useEffect(() => {
    const canvas = ref.current;
    if (!shown || !canvas) return;
    let id = transferred.get(canvas);
    if (id === undefined) {
      id = ++lastId;
      transferred.set(canvas, id);
      const offscreen = canvas.transferControlToOffscreen();
      send({ type: 'attach', id, slot, canvas: offscreen }, [offscreen]);
    } else {
      send({ type: 'attach', id, slot });
    }
    const canvasId = id;
    // A canvas still in the document stays with the worker (a new slot, or StrictMode's rehearsal of an unmount).
    return () => {
      if (!canvas.isConnected) send({ type: 'detach', id: canvasId });
    };
  }, [shown, slot, send]);
  if (!plot) {
    return (
      <div className="plot placeholder" data-testid={testId}>
        {placeholder ?? 'Train a model to see this plot.'}
      </div>
    );
  }
  const canvas = (
    <canvas
      ref={ref}
      className={onClick ? 'plot clickable' : 'plot'}
      data-testid={testId}
      data-draws={plot.draws}
      aria-label={plot.title}
      role="img"
      // At most its box's width (narrow screens scale it down, keeping its aspect ratio).
      style={{ width: plot.width, maxWidth: '100%', height: 'auto', aspectRatio: `${plot.width} / ${plot.height}` }}
      onClick={(event) => {
        if (!onClick) return;
        // Back to the plot's own CSS pixels, whatever size the canvas is shown at.
        const rect = event.currentTarget.getBoundingClientRect();
        const scale = plot.width / rect.width;
        onClick((event.clientX - rect.left) * scale, (event.clientY - rect.top) * scale);
      }}
    />
  );
  if (!onClick) return canvas;
  return (
    <div className="plot-frame">
      {canvas}
      {markers.map((m) => (
        <span
          key={m.label}
          className="marker"
          style={{ left: `${(100 * m.x) / plot.width}%`, top: `${(100 * m.y) / plot.height}%` }}
          aria-hidden="true"
        >
          <b>{m.label}</b>
        </span>
      ))}
    </div>
  );
}
