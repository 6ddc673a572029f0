import { escapeXml } from './escape.js';
import { px } from './format.js';
import { type Deflate, rgbaDataUri } from './png-data.js';
import { FONT_FAMILY, type Mark, type PlotSpec } from './spec.js';

// Baseline shifts in em, as d3-axis does (dy = 0.32em centres digits, 0.71em hangs them), because renderers
// (resvg, browsers) disagree on dominant-baseline; the Canvas renderer uses the same offsets.
export const BASELINE_SHIFT = { alphabetic: 0, middle: 0.35, hanging: 0.75 } as const;

type Attr = [string, string | number | undefined];

/** The position and size attributes of a rect or image mark, in that order. */
const box = (m: { x: number; y: number; width: number; height: number }): Attr[] => [
  ['x', m.x],
  ['y', m.y],
  ['width', m.width],
  ['height', m.height],
];

function attrs(list: Attr[]): string {
  return list
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? px(v) : escapeXml(v!)}"`)
    .join('');
}

function mark(m: Mark, options: SvgOptions): string {
  switch (m.type) {
    case 'rect':
      return `<rect${attrs([
        ...box(m),
        ['fill', m.fill],
        ['stroke', m.stroke],
        ['stroke-width', m.strokeWidth],
        ['opacity', m.opacity],
      ])}/>`;
    case 'path':
      return `<path${attrs([
        ['d', m.d],
        ['fill', m.fill ?? 'none'],
        ['stroke', m.stroke],
        ['stroke-width', m.strokeWidth],
        ['stroke-dasharray', m.dash?.join(' ')],
        ['opacity', m.opacity],
      ])}/>`;
    case 'text': {
      const dy = BASELINE_SHIFT[m.baseline];
      const anchor = m.anchor === 'start' ? undefined : m.anchor;
      const rotate = m.rotate ? `rotate(${px(m.rotate)} ${px(m.x)} ${px(m.y)})` : undefined;
      return `<text${attrs([
        ['x', m.x],
        ['y', m.y],
        ['dy', dy ? `${dy}em` : undefined],
        ['font-size', m.size],
        ['font-weight', m.weight === 'bold' ? 'bold' : undefined],
        ['text-anchor', anchor],
        ['fill', m.fill],
        ['transform', rotate],
      ])}>${escapeXml(m.text)}</text>`;
    }
    case 'points': {
      // One path per run of equal colour: circles as two arcs each.
      const r = px(m.radius);
      const d2 = px(2 * m.radius);
      const out: string[] = [];
      let i = 0;
      while (i < m.x.length) {
        const g = m.group[i]!;
        let d = '';
        for (; i < m.x.length && m.group[i] === g; i++) {
          d += `M${px(m.x[i]! - m.radius)},${px(m.y[i]!)}a${r},${r} 0 1,0 ${d2},0a${r},${r} 0 1,0 -${d2},0`;
        }
        out.push(
          `<path${attrs([
            ['d', d],
            ['fill', m.colors[g] ?? '#000'],
            ['fill-opacity', m.opacity],
          ])}/>`,
        );
      }
      return out.join('\n');
    }
    case 'image':
      return `<image${attrs([
        ...box(m),
        ['preserveAspectRatio', 'none'],
        ['image-rendering', 'optimizeSpeed'],
        ['style', 'image-rendering:pixelated'],
        ['href', rgbaDataUri(m.rgba, m.pixelWidth, m.pixelHeight, options.deflate)],
      ])}/>`;
  }
}

/** Options of `renderSvg`. */
export interface SvgOptions {
  /** zlib compressor for embedded images (default fflate; `renderPng` passes Node's native zlib). */
  deflate?: Deflate;
}

/**
 * Renders a plot spec as a standalone SVG document string (Node and browsers). All text from the spec (titles,
 * labels, class names) is escaped, so user data can never inject markup; images are embedded as PNG data URIs.
 *
 * @example
 * import { writeFileSync } from 'node:fs';
 * const { codes, labels } = syntheticLatents(1000, { seed: 1 });
 * writeFileSync('scatter.svg', renderSvg(latentScatter({ codes, dim: 2, labels })));
 */
export function renderSvg(spec: PlotSpec, options: SvgOptions = {}): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg"${attrs([
    ['width', spec.width],
    ['height', spec.height],
    ['viewBox', `0 0 ${px(spec.width)} ${px(spec.height)}`],
    ['font-family', FONT_FAMILY],
  ])}>`;
  const body = spec.marks.map((m) => mark(m, options)).join('\n');
  return `${head}\n<title>${escapeXml(spec.title)}</title>\n<rect width="100%" height="100%"${attrs([['fill', spec.background]])}/>\n${body}\n</svg>\n`;
}
