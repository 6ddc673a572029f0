/**
 * Every code of a data set in one GPU scatter (regl-scatterplot, chosen by measurement: BENCHMARKS.md "Latent
 * explorer"): drag to pan, wheel to zoom, colour by label / per-example loss / per-example KL, a density view
 * (opacity by local density), hover for the example and its reconstruction with its nearest neighbours in the
 * plotted plane, click to decode the code under the pointer, shift-drag a lasso to decode the mean code of the
 * selection. Keyboard: the "example #" field hovers an example without a pointer.
 *
 * The root element reports what the renderer drew: `data-points` is the renderer's own point count.
 */

import { categoricalColors } from '@latentlab/viz';
import { interpolateViridis } from 'd3-scale-chromatic';
import { useEffect, useMemo, useRef, useState } from 'react';
import createScatterplot from 'regl-scatterplot';
import { fitSquare, meanCode, project, rankScale } from './codes.js';
import { Digit } from './Digit.js';
import { GridIndex } from './grid-index.js';
import './explorer.css';
import type { ColourBy, LatentExplorerProps } from './types.js';

type Scatterplot = ReturnType<typeof createScatterplot>;

/** Neighbours shown for the hovered example. */
export const NEIGHBOURS = 8;
const SIZE_MAX = 640;
const RAMP = Array.from({ length: 32 }, (_, i) => interpolateViridis(i / 31));

/** The handle tests and tools reach through the root element's `latentExplorer` property. */
export interface ExplorerHandle {
  /** Pixel position of example i inside the scatter's canvas, or undefined when it is out of view. */
  screenPosition(i: number): [number, number] | undefined;
}

interface Picture {
  pixels: Uint8Array;
  caption: string;
  z: number[];
}

export function LatentExplorer(props: LatentExplorerProps) {
  const { codes, labels, classNames, loss, kl, imageShape, image, reconstruction, decode, caption } = props;
  const k = codes.latentDim;
  const n = codes.z.length / k;
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const plotRef = useRef<Scatterplot | null>(null);
  const [drawn, setDrawn] = useState(0);
  /** Counts renderers created (a resize makes a new one), so the points are drawn into each. */
  const [plotVersion, setPlotVersion] = useState(0);
  const [colourBy, setColourBy] = useState<ColourBy>('label');
  const [density, setDensity] = useState(false);
  const [hovered, setHovered] = useState<number | null>(null);
  const [recon, setRecon] = useState<{ i: number; pixels: Uint8Array } | null>(null);
  const [decoded, setDecoded] = useState<Picture | null>(null);
  const [selection, setSelection] = useState<Picture | null>(null);
  const [size, setSize] = useState(SIZE_MAX);

  const xy = useMemo(() => project(codes.z, k), [codes.z, k]);
  const fit = useMemo(() => fitSquare(xy), [xy]);
  const index = useMemo(() => new GridIndex(xy), [xy]);
  const values = useMemo(() => ({ loss: loss ? rankScale(loss) : null, kl: kl ? rankScale(kl) : null }), [loss, kl]);
  const classes = classNames?.length ?? 0;

  // Square canvas, as wide as the space allows (the [−1, 1]² view then maps to it without an aspect correction).
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const observer = new ResizeObserver(() => setSize(Math.max(240, Math.min(SIZE_MAX, root.clientWidth - 8))));
    observer.observe(root);
    return () => observer.disconnect();
  }, []);

  // One renderer per mounted canvas.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const plot = createScatterplot({
      canvas,
      width: size,
      height: size,
      pointSize: 2,
      pointSizeSelected: 3,
      backgroundColor: '#ffffff',
      lassoColor: '#0072B2',
      lassoOnLongPress: false,
      deselectOnEscape: true,
      opacityInactiveMax: 0.35,
    });
    plotRef.current = plot;
    setPlotVersion((v) => v + 1);
    const subs = [
      plot.subscribe('pointOver', (i: number) => setHovered(i)),
      plot.subscribe('select', ({ points }: { points: number[] }) => {
        if (points.length < 2) return; // one clicked point: the click decodes it
        const z = meanCode(codes.z, k, points);
        decode(z).then(
          (pixels) => pixels && setSelection({ pixels, z, caption: `mean code of ${points.length} selected` }),
        );
      }),
    ];
    const root = rootRef.current as (HTMLDivElement & { latentExplorer?: ExplorerHandle }) | null;
    if (root) root.latentExplorer = { screenPosition: (i) => plot.getScreenPosition(i) };
    return () => {
      for (const s of subs) plot.unsubscribe(s);
      plot.destroy();
      plotRef.current = null;
      setDrawn(0);
    };
  }, [size, codes.z, k, decode]);

  // The points: x, y in [−1, 1]², z = class (categorical), w = the chosen continuous colouring.
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot || plotVersion === 0) return;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (xy[2 * i]! - fit.cx) / fit.half;
      y[i] = (xy[2 * i + 1]! - fit.cy) / fit.half;
    }
    const z = new Float32Array(n);
    if (labels) for (let i = 0; i < n; i++) z[i] = Math.max(0, labels[i]!);
    const w = (colourBy === 'kl' ? values.kl : colourBy === 'loss' ? values.loss : null) ?? new Float32Array(n);
    const byLabel = colourBy === 'label' && classes > 0;
    let cancelled = false;
    plot
      .set({
        colorBy: byLabel ? 'valueA' : colourBy === 'label' ? null : 'valueB',
        pointColor: byLabel ? categoricalColors(classes) : colourBy === 'label' ? '#0072B2' : RAMP,
        opacityBy: density ? 'density' : null,
        opacity: density ? undefined : 0.6,
        pointSize: density ? 1 : 2,
      } as Parameters<Scatterplot['set']>[0])
      .then(() => plot.draw({ x, y, valueA: z, valueB: w }, { zDataType: 'categorical', wDataType: 'continuous' }))
      .then(() => {
        if (!cancelled) setDrawn(plot.get('points').length);
      });
    return () => {
      cancelled = true;
    };
  }, [n, xy, fit, labels, classes, colourBy, density, values, plotVersion]);

  // Hovered example: its reconstruction, fetched once per example.
  useEffect(() => {
    if (hovered === null || !reconstruction) return;
    let live = true;
    reconstruction(hovered).then((pixels) => live && pixels && setRecon({ i: hovered, pixels }));
    return () => {
      live = false;
    };
  }, [hovered, reconstruction]);

  const neighbours = useMemo(
    () => (hovered === null ? [] : index.nearest(xy[2 * hovered]!, xy[2 * hovered + 1]!, NEIGHBOURS + 1).slice(1)),
    [hovered, index, xy],
  );

  // A click (not the end of a drag) decodes the code under the pointer; the other dimensions are 0.
  const down = useRef<[number, number] | null>(null);
  const onClick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const start = down.current;
    if (!start || Math.hypot(event.clientX - start[0], event.clientY - start[1]) > 4 || event.shiftKey) return;
    const plot = plotRef.current;
    if (!plot) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const u = ((event.clientX - rect.left) / rect.width) * 2 - 1;
    const v = 1 - ((event.clientY - rect.top) / rect.height) * 2;
    // cameraView is column-major 4×4 (no rotation): screen = s·p + t per axis.
    const view = plot.get('cameraView');
    const px = (u - view[12]!) / view[0]!;
    const py = (v - view[13]!) / view[5]!;
    const z = new Array<number>(k).fill(0);
    z[0] = fit.cx + px * fit.half;
    if (k > 1) z[1] = fit.cy + py * fit.half;
    decode(z).then((pixels) => pixels && setDecoded({ pixels, z, caption: 'decoded at the pointer' }));
  };

  const pixelsOf = (i: number) => image?.(i) ?? null;
  const label = (i: number) => {
    const c = labels?.[i] ?? -1;
    return c >= 0 ? (classNames?.[c] ?? String(c)) : '';
  };
  const fmt = (z: number[]) => z.map((v) => v.toFixed(2)).join(', ');

  return (
    <div
      className="explorer"
      ref={rootRef}
      data-testid="latent-explorer"
      data-points={drawn}
      data-hovered={hovered ?? ''}
    >
      <div className="explorer-controls">
        <label className="field">
          <span>Colour by</span>
          <select
            value={colourBy}
            onChange={(e) => setColourBy(e.target.value as ColourBy)}
            data-testid="explorer-colour"
          >
            <option value="label">label</option>
            <option value="loss" disabled={!loss}>
              per-example loss
            </option>
            <option value="kl" disabled={!kl}>
              per-example KL
            </option>
          </select>
        </label>
        <label className="field">
          <input type="checkbox" checked={density} onChange={(e) => setDensity(e.target.checked)} />
          <span>Density view</span>
        </label>
        <label className="field">
          <span>Example #</span>
          <input
            type="number"
            min={0}
            max={n - 1}
            onChange={(e) => {
              const i = Number(e.target.value);
              if (Number.isInteger(i) && i >= 0 && i < n) {
                plotRef.current?.hover(i);
                setHovered(i);
              }
            }}
          />
        </label>
        <span className="hint" data-testid="explorer-count">
          {drawn.toLocaleString('en')} codes{caption ? ` (${caption})` : ''}
          {k > 2 ? ` · plotted: dimensions 1 and 2 of ${k}; neighbours in that plane` : ''}
        </span>
      </div>
      <div className="explorer-body">
        <canvas
          ref={canvasRef}
          width={size}
          height={size}
          style={{ width: size, height: size }}
          aria-label="Latent codes: drag to pan, wheel to zoom, click to decode, shift-drag to select"
          data-testid="explorer-canvas"
          onMouseDown={(e) => {
            down.current = [e.clientX, e.clientY];
          }}
          onClick={onClick}
        />
        <aside className="explorer-side">
          {hovered !== null && (
            <section data-testid="explorer-hover">
              <h3>
                Example {hovered} {label(hovered) && `· ${label(hovered)}`}
              </h3>
              <p className="hint">
                {loss && `loss ${loss[hovered]!.toFixed(1)}`}
                {kl && ` · KL ${kl[hovered]!.toFixed(2)}`}
              </p>
              {imageShape && pixelsOf(hovered) && (
                <div className="explorer-pair">
                  <Digit pixels={pixelsOf(hovered)!} shape={imageShape} label="example" testId="explorer-image" />
                  {recon?.i === hovered && (
                    <Digit
                      pixels={recon.pixels}
                      shape={imageShape}
                      label="reconstruction"
                      testId="explorer-reconstruction"
                    />
                  )}
                </div>
              )}
              <p className="hint">Nearest {NEIGHBOURS} in the plotted plane:</p>
              <div className="explorer-neighbours" data-testid="explorer-neighbours">
                {neighbours.map((j) =>
                  imageShape && pixelsOf(j) ? (
                    <Digit key={j} pixels={pixelsOf(j)!} shape={imageShape} size={36} label={`example ${j}`} />
                  ) : (
                    <span key={j}>#{j} </span>
                  ),
                )}
              </div>
            </section>
          )}
          {decoded && imageShape && (
            <section data-testid="explorer-decoded" data-z={fmt(decoded.z)}>
              <h3>Decoded z = ({fmt(decoded.z)})</h3>
              <Digit pixels={decoded.pixels} shape={imageShape} label={decoded.caption} />
            </section>
          )}
          {selection && imageShape && (
            <section data-testid="explorer-selection" data-z={fmt(selection.z)}>
              <h3>{selection.caption}</h3>
              <Digit pixels={selection.pixels} shape={imageShape} label={selection.caption} />
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
