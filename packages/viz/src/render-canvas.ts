import { BASELINE_SHIFT } from './render-svg.js';
import { FONT_FAMILY, type ImageMark, type Mark, type PlotSpec } from './spec.js';

/** The subset of CanvasRenderingContext2D the renderer uses (so OffscreenCanvas contexts and test doubles fit). */
export type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function imageSource(m: ImageMark): CanvasImageSource {
  const data = new ImageData(new Uint8ClampedArray(m.rgba), m.pixelWidth, m.pixelHeight);
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(m.pixelWidth, m.pixelHeight)
      : Object.assign(document.createElement('canvas'), { width: m.pixelWidth, height: m.pixelHeight });
  // A CPU-backed scratch canvas: a GPU-backed one made the browser read every image back from the GPU process
  // (a synchronous round trip per image mark, up to ≈ 100 ms on a busy machine); this one is uploaded once.
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as Canvas2D | null;
  if (!ctx) throw new Error('renderCanvas: no 2D context for an image mark');
  ctx.putImageData(data, 0, 0);
  return canvas;
}

function drawMark(ctx: Canvas2D, m: Mark): void {
  ctx.save();
  switch (m.type) {
    case 'rect':
      if (m.opacity !== undefined) ctx.globalAlpha = m.opacity;
      ctx.fillStyle = m.fill;
      ctx.fillRect(m.x, m.y, m.width, m.height);
      if (m.stroke) {
        ctx.strokeStyle = m.stroke;
        ctx.lineWidth = m.strokeWidth ?? 1;
        ctx.strokeRect(m.x, m.y, m.width, m.height);
      }
      break;
    case 'path': {
      if (m.opacity !== undefined) ctx.globalAlpha = m.opacity;
      const path = new Path2D(m.d);
      if (m.fill && m.fill !== 'none') {
        ctx.fillStyle = m.fill;
        ctx.fill(path);
      }
      if (m.stroke) {
        ctx.strokeStyle = m.stroke;
        ctx.lineWidth = m.strokeWidth ?? 1;
        ctx.setLineDash(m.dash ?? []);
        ctx.stroke(path);
      }
      break;
    }
    case 'text':
      ctx.font = `${m.weight === 'bold' ? 'bold ' : ''}${m.size}px ${FONT_FAMILY}`;
      ctx.fillStyle = m.fill;
      ctx.textAlign = m.anchor === 'middle' ? 'center' : m.anchor;
      ctx.textBaseline = 'alphabetic';
      ctx.translate(m.x, m.y);
      if (m.rotate) ctx.rotate((m.rotate * Math.PI) / 180);
      ctx.fillText(m.text, 0, BASELINE_SHIFT[m.baseline] * m.size);
      break;
    case 'points': {
      // Batch consecutive points of one colour into a single path: one fill per class, not per point.
      ctx.globalAlpha = m.opacity;
      const r = m.radius;
      let i = 0;
      while (i < m.x.length) {
        const g = m.group[i]!;
        ctx.fillStyle = m.colors[g] ?? '#000';
        ctx.beginPath();
        for (; i < m.x.length && m.group[i] === g; i++) {
          const x = m.x[i]!;
          const y = m.y[i]!;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
        ctx.fill();
      }
      break;
    }
    case 'image':
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(imageSource(m), m.x, m.y, m.width, m.height);
      break;
  }
  ctx.restore();
}

/**
 * Draws a plot spec on a Canvas 2D context (browsers, OffscreenCanvas in workers). `scale` multiplies every
 * coordinate, e.g. `devicePixelRatio` for a crisp picture: size the canvas `spec.width·scale × spec.height·scale`.
 *
 * @example
 * const plot = latentScatter({ ...syntheticLatents(1000, { seed: 1 }) });
 * if (typeof document !== 'undefined') { // a browser (in Node: renderSvg, or renderPng of '@latentlab/viz/node')
 *   const canvas = document.createElement('canvas');
 *   canvas.width = plot.width; canvas.height = plot.height;
 *   renderCanvas(plot, canvas.getContext('2d')!);
 * }
 */
export function renderCanvas(spec: PlotSpec, ctx: Canvas2D, options: { scale?: number } = {}): void {
  const { scale = 1 } = options;
  ctx.save();
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = spec.background;
  ctx.fillRect(0, 0, spec.width, spec.height);
  for (const m of spec.marks) drawMark(ctx, m);
  ctx.restore();
}
