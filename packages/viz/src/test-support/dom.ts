// Test helpers: parse SVG/HTML with parse5 (the WHATWG parser, same in Node and Chromium) and summarise rasters.
import { parse } from 'parse5';

export const isBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

interface Node5 {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node5[];
  content?: Node5;
}

export interface Element5 {
  tag: string;
  attrs: Record<string, string>;
  text: string;
}

function textOf(node: Node5): string {
  if (node.nodeName === '#text') return node.value ?? '';
  return (node.childNodes ?? []).map(textOf).join('');
}

/** Every element of an HTML document (or an SVG string placed in one), in document order. */
export function parseElements(markup: string): Element5[] {
  const doc = parse(
    markup.startsWith('<!doctype') ? markup : `<!doctype html><html><body>${markup}</body></html>`,
  ) as unknown as Node5;
  const out: Element5[] = [];
  const walk = (node: Node5) => {
    if (node.tagName) {
      out.push({
        tag: node.tagName,
        attrs: Object.fromEntries((node.attrs ?? []).map((a) => [a.name, a.value])),
        text: textOf(node),
      });
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(doc);
  return out;
}

/** Mean colour and coverage (share of pixels farther than 40 from white in some channel) per cell of a g × g grid. */
export interface RegionStats {
  r: number;
  g: number;
  b: number;
  coverage: number;
}

export function regionStats(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  grid = 4,
  channels = 4,
): RegionStats[] {
  const out: RegionStats[] = [];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const x0 = Math.floor((gx * width) / grid);
      const x1 = Math.floor(((gx + 1) * width) / grid);
      const y0 = Math.floor((gy * height) / grid);
      const y1 = Math.floor(((gy + 1) * height) / grid);
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const o = (y * width + x) * channels;
          r += rgba[o]!;
          g += rgba[o + 1]!;
          b += rgba[o + 2]!;
          if (Math.min(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!) < 215) covered++;
        }
      }
      const count = (x1 - x0) * (y1 - y0);
      out.push({ r: r / count, g: g / count, b: b / count, coverage: covered / count });
    }
  }
  return out;
}

/** Parses `#rrggbb`. */
export function hexColor(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
