import { type PlotSpec, renderCanvas } from '@latentlab/viz';
import { useEffect, useRef } from 'react';

export interface Marker {
  x: number;
  y: number;
  label: string;
}

/** Draws a plot spec on a canvas (crisp at the device pixel ratio); optional click handler and markers in CSS pixels. */
export function Plot({
  spec,
  testId,
  onClick,
  markers = [],
  placeholder,
}: {
  spec: PlotSpec | undefined;
  testId: string;
  onClick?: (x: number, y: number) => void;
  markers?: Marker[];
  placeholder?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const draws = useRef(0);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !spec) return;
    const scale = Math.min(2, globalThis.devicePixelRatio || 1);
    canvas.width = Math.round(spec.width * scale);
    canvas.height = Math.round(spec.height * scale);
    canvas.style.width = `${spec.width}px`;
    canvas.style.height = `${spec.height}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    renderCanvas(spec, ctx, { scale });
    ctx.save();
    ctx.scale(scale, scale);
    for (const m of markers) {
      ctx.beginPath();
      ctx.arc(m.x, m.y, 6, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#d62728';
      ctx.stroke();
      ctx.fillStyle = '#d62728';
      ctx.font = 'bold 12px sans-serif';
      ctx.fillText(m.label, m.x + 8, m.y - 8);
    }
    ctx.restore();
    draws.current += 1;
    canvas.dataset.draws = String(draws.current);
  }, [spec, markers]);
  if (!spec) {
    return (
      <div className="plot placeholder" data-testid={testId}>
        {placeholder ?? 'Train a model to see this plot.'}
      </div>
    );
  }
  return (
    <canvas
      ref={ref}
      className={onClick ? 'plot clickable' : 'plot'}
      data-testid={testId}
      aria-label={spec.title}
      role="img"
      onClick={(event) => {
        if (!onClick) return;
        const rect = event.currentTarget.getBoundingClientRect();
        onClick(event.clientX - rect.left, event.clientY - rect.top);
      }}
    />
  );
}
