/**
 * The page's plot canvases, handed to this worker with `transferControlToOffscreen`: every plot is drawn here,
 * straight into the canvas the page shows (the browser composites the worker's frames itself), so the page's main
 * thread never draws, copies or decodes pixels, and never makes the synchronous call to the GPU process that a
 * canvas context of its own costs (≈ 50–110 ms on a busy 2-core machine, see BENCHMARKS.md).
 *
 * Plots are kept per slot (`main.scatter`, `compare-1.manifold`, `decoded`...): a plot drawn before its canvas
 * arrives is drawn when it does, and a canvas that moves to another slot shows that slot's latest plot.
 */
import { type PlotSpec, renderCanvas } from '@latentlab/viz';
import type { PlotInfo, PlotSet, PlotSlot } from '../protocol.js';

const canvases = new Map<number, OffscreenCanvas>();
const slotOfCanvas = new Map<number, PlotSlot>();
const canvasOfSlot = new Map<PlotSlot, number>();
const latest = new Map<PlotSlot, { spec: PlotSpec; draws: number }>();
let pixelRatio = 1;

/** The device pixel ratio of the page (plots are drawn at it, at most 2). */
export function setPixelRatio(ratio: number): void {
  pixelRatio = Math.min(2, Math.max(1, Number.isFinite(ratio) ? ratio : 1));
}

function paint(canvas: OffscreenCanvas, spec: PlotSpec): void {
  const width = Math.round(spec.width * pixelRatio);
  const height = Math.round(spec.height * pixelRatio);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  // CPU-backed: drawing never waits on the GPU process, which the WebGL backend may be keeping busy.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('paint: no 2d context on the transferred canvas');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  renderCanvas(spec, ctx, { scale: pixelRatio });
}

/** Shows `spec` in `slot`: drawn now if the slot has a canvas, else when one attaches. */
export function show(slot: PlotSlot, spec: PlotSpec): PlotInfo {
  const draws = (latest.get(slot)?.draws ?? 0) + 1;
  latest.set(slot, { spec, draws });
  const id = canvasOfSlot.get(slot);
  const canvas = id === undefined ? undefined : canvases.get(id);
  if (canvas) paint(canvas, spec);
  return { width: spec.width, height: spec.height, title: spec.title, draws };
}

/** Shows every plot of a set in the slots `${prefix}.${key}`; returns what the page needs to lay them out. */
export function showSet(prefix: string, set: PlotSet<PlotSpec>): PlotSet {
  const plots: PlotSet = {
    ...(set.axes ? { axes: set.axes } : {}),
    ...(set.classesShown !== undefined ? { classesShown: set.classesShown } : {}),
    ...(set.posteriorsShown !== undefined ? { posteriorsShown: set.posteriorsShown } : {}),
  };
  for (const key of ['loss', 'scatter', 'reconstructions', 'samples', 'manifold'] as const) {
    const spec = set[key];
    if (spec) plots[key] = show(`${prefix}.${key}`, spec);
  }
  return plots;
}

/** The page's canvas `id` (transferred with its first attach) shows `slot` from now on. */
export function attach(id: number, slot: PlotSlot, canvas?: OffscreenCanvas): void {
  if (canvas) canvases.set(id, canvas);
  const target = canvases.get(id);
  if (!target) return;
  const previous = slotOfCanvas.get(id);
  if (previous !== undefined && canvasOfSlot.get(previous) === id) canvasOfSlot.delete(previous);
  slotOfCanvas.set(id, slot);
  canvasOfSlot.set(slot, id);
  const entry = latest.get(slot);
  if (entry) paint(target, entry.spec);
}

/** The canvas `id` left the page. */
export function detach(id: number): void {
  const slot = slotOfCanvas.get(id);
  if (slot !== undefined && canvasOfSlot.get(slot) === id) canvasOfSlot.delete(slot);
  slotOfCanvas.delete(id);
  canvases.delete(id);
}
