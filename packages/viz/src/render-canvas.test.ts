import { decode } from 'fast-png';
import { afterEach, describe, expect, it } from 'vitest';
import { imageGrid } from './image-grid.js';
import { lossCurves } from './loss-curves.js';
import { renderCanvas } from './render-canvas.js';
import type { PointsMark } from './spec.js';
import { isBrowser, regionStats } from './test-support/dom.js';
import { flatImages, scatterFixture } from './test-support/fixtures.js';

/** A Canvas 2D double that records calls (Node has no canvas; the browser tests below use a real one). */
function recorder() {
  const calls: { name: string; args: unknown[] }[] = [];
  const state: Record<string, unknown> = {};
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => calls.push({ name: prop, args: [...args, { ...target }] });
    },
    set(target, prop: string, value) {
      target[prop] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

describe('renderCanvas (recorded calls)', () => {
  const g = globalThis as { Path2D?: unknown };
  const hadPath2D = 'Path2D' in g;
  afterEach(() => {
    if (!hadPath2D) delete g.Path2D;
  });

  it('fills the background, batches points per class and draws every text as plain text', () => {
    if (!hadPath2D)
      g.Path2D = class {
        constructor(readonly d: string) {}
      };
    const spec = scatterFixture();
    const { ctx, calls } = recorder();
    renderCanvas(spec, ctx);
    expect(calls[1]).toMatchObject({ name: 'setTransform', args: [1, 0, 0, 1, 0, 0, expect.anything()] });
    expect(calls.find((c) => c.name === 'fillRect')?.args.slice(0, 4)).toEqual([0, 0, 640, 480]);
    const points = spec.marks.find((m) => m.type === 'points') as PointsMark;
    expect(calls.filter((c) => c.name === 'arc')).toHaveLength(points.x.length);
    // Three classes drawn in order → three fills with no Path2D argument, each in its class colour.
    const fills = calls.filter((c) => c.name === 'fill' && c.args.length === 1);
    expect(fills.map((c) => (c.args[0] as { fillStyle: string }).fillStyle)).toEqual(points.colors);
    const texts = calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
    expect(texts).toEqual(expect.arrayContaining(['Three classes', 'zero', 'one', 'two', 'z1', 'z2']));
  });

  it('sets the dash pattern for validation curves', () => {
    if (!hadPath2D)
      g.Path2D = class {
        constructor(readonly d: string) {}
      };
    const { ctx, calls } = recorder();
    renderCanvas(lossCurves({ train: { total: [3, 2, 1] }, validation: { total: [3.5, 2.5, 2] } }), ctx, { scale: 2 });
    expect(calls[1]).toMatchObject({ name: 'setTransform', args: [2, 0, 0, 2, 0, 0, expect.anything()] });
    const dashes = calls.filter((c) => c.name === 'setLineDash').map((c) => c.args[0]);
    expect(dashes).toContainEqual([6, 4]);
  });
});

// Real pixels: only where a canvas exists. The Node project checks the same spec's PNG in render-png.node.test.ts.
if (isBrowser) {
  describe('renderCanvas in Chromium', () => {
    const draw = (spec: ReturnType<typeof scatterFixture>) => {
      const canvas = document.createElement('canvas');
      canvas.width = spec.width;
      canvas.height = spec.height;
      const ctx = canvas.getContext('2d')!;
      renderCanvas(spec, ctx);
      return ctx.getImageData(0, 0, spec.width, spec.height);
    };

    it('matches the Node PNG render of the same spec region by region', async () => {
      const { commands } = await import('vitest/browser');
      // Use the fonts the Node renderer bundles, so the comparison does not depend on the machine's fonts.
      for (const [file, weight] of [
        ['DejaVuSans.ttf', 'normal'],
        ['DejaVuSans-Bold.ttf', 'bold'],
      ] as const) {
        const ttf = await commands.readFile(`node_modules/dejavu-fonts-ttf/ttf/${file}`, 'base64');
        const face = new FontFace('DejaVu Sans', Uint8Array.from(atob(ttf), (c) => c.charCodeAt(0)).buffer, { weight });
        document.fonts.add(await face.load());
      }
      const b64 = await commands.readFile('src/__snapshots__/scatter-reference.png', 'base64');
      const png = decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      const spec = scatterFixture();
      const canvas = draw(spec);
      expect([png.width, png.height]).toEqual([canvas.width, canvas.height]);
      const a = regionStats(canvas.data, canvas.width, canvas.height, 4);
      const b = regionStats(png.data, png.width, png.height, 4, png.channels);
      // Anti-aliasing and font hinting differ between Skia and resvg; cluster colours and coverage must not.
      a.forEach((r, i) => {
        const s = b[i]!;
        expect(Math.abs(r.r - s.r)).toBeLessThan(3);
        expect(Math.abs(r.g - s.g)).toBeLessThan(3);
        expect(Math.abs(r.b - s.b)).toBeLessThan(3);
        expect(Math.abs(r.coverage - s.coverage)).toBeLessThan(0.025);
      });
      expect(a.some((r) => r.coverage > 0.05)).toBe(true);
    });

    it('draws image tiles pixel-exact', () => {
      const spec = imageGrid({ images: flatImages(4, 6, 6), imageShape: [6, 6], cols: 2, gap: 2, scale: 8 });
      const mark = spec.marks.find((m) => m.type === 'image')!;
      const img = draw(spec);
      const at = (x: number, y: number) => img.data[(Math.round(y) * img.width + Math.round(x)) * 4];
      expect(at(mark.x + 11.5 * 8, mark.y + 11.5 * 8)).toBe(Math.round((255 * 4) / 5));
      expect(at(mark.x + 8.5 * 8, mark.y + 8.5 * 8)).toBe(255);
      expect(at(mark.x + 9.5 * 8, mark.y + 8.5 * 8)).toBe(204);
    });
  });
}
