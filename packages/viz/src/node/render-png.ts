import { deflateSync } from 'node:zlib';
import { renderSvg } from '../render-svg.js';
import type { PlotSpec } from '../spec.js';
import { bundledFonts, resvgModule } from './png-peers.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of `renderPng` and `writePng`. */
export interface PngOptions {
  /** Output pixels per CSS pixel (default 1). */
  scale?: number;
}

/**
 * Renders a plot spec to PNG bytes in Node: `renderSvg(spec)` rasterised by resvg (Rust, shipped as npm native
 * binaries), with only the bundled DejaVu fonts, so the picture is the same on every machine. Both are optional
 * peers of `@latentlab/viz` (`npm install @resvg/resvg-js dejavu-fonts-ttf`); without them this throws a
 * `VizError` naming them.
 *
 * @example
 * const total = [180, 140, 125, 118]; // per epoch
 * const png = renderPng(lossCurves({ train: { total } }), { scale: 2 }); // needs @resvg/resvg-js and dejavu-fonts-ttf
 */
export function renderPng(spec: PlotSpec, options: PngOptions = {}): Uint8Array {
  const { scale = 1 } = options;
  // Embedded rasters are decoded again right away by resvg: compress them fast (native zlib, level 1).
  const svg = renderSvg(spec, { deflate: (data) => deflateSync(data, { level: 1 }) });
  const { Resvg } = resvgModule('renderPng');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: bundledFonts('renderPng'), defaultFontFamily: 'DejaVu Sans' },
    shapeRendering: 2,
    imageRendering: 1,
  });
  return resvg.render().asPng();
}

/** Writes `renderPng(spec)` to `path` atomically (temp file + rename; a symlink at `path` is replaced, not followed). */
export async function writePng(path: string, spec: PlotSpec, options: PngOptions = {}): Promise<void> {
  await writeFileAtomic(path, renderPng(spec, options));
}
