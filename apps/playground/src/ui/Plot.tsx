import { useEffect, useRef } from 'react';
import type { RenderedPlot } from '../protocol.js';

export interface Marker {
  x: number;
  y: number;
  label: string;
}

/**
 * Shows a plot the worker already drew (one bitmap blit on the page), with an optional click handler and markers
 * in CSS pixels.
 */
export function Plot({
  spec,
  testId,
  onClick,
  markers = [],
  placeholder,
}: {
  spec: RenderedPlot | undefined;
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
    const { bitmap } = spec;
    if (canvas.width !== bitmap.width) canvas.width = bitmap.width;
    if (canvas.height !== bitmap.height) canvas.height = bitmap.height;
    canvas.style.width = `${spec.width}px`;
    canvas.style.height = `${spec.height}px`;
    const ctx = canvas.getContext('2d', { willReadFrequently: true }); // CPU-backed: never waits on the GPU
    if (!ctx) return;
    ctx.drawImage(bitmap, 0, 0);
    ctx.save();
    ctx.scale(bitmap.width / spec.width, bitmap.height / spec.height);
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
