import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { imageGrid } from '../image-grid.js';
import { lossCurves } from '../loss-curves.js';
import { OKABE_ITO } from '../palette.js';
import type { PointsMark } from '../spec.js';
import { hexColor, regionStats } from '../test-support/dom.js';
import { flatImages, scatterFixture } from '../test-support/fixtures.js';
import { bundledFonts } from './png-peers.js';
import { renderPng, writePng } from './render-png.js';

const reference = fileURLToPath(new URL('../__snapshots__/scatter-reference.png', import.meta.url));

/** Mean RGB of the (2k+1)² window around (x, y). */
function windowMean(img: ReturnType<typeof decode>, x: number, y: number, k = 2): number[] {
  const sum = [0, 0, 0];
  for (let dy = -k; dy <= k; dy++) {
    for (let dx = -k; dx <= k; dx++) {
      const o = ((Math.round(y) + dy) * img.width + Math.round(x) + dx) * img.channels;
      for (let c = 0; c < 3; c++) sum[c]! += img.data[o + c]!;
    }
  }
  return sum.map((s) => s / (2 * k + 1) ** 2);
}

/** Pixels of the (2k+1)² window around (x, y) within 4 of `rgb` in every channel. */
function countNear(img: ReturnType<typeof decode>, x: number, y: number, k: number, rgb: number[]): number {
  let count = 0;
  for (let dy = -k; dy <= k; dy++) {
    for (let dx = -k; dx <= k; dx++) {
      const o = ((Math.round(y) + dy) * img.width + Math.round(x) + dx) * img.channels;
      if (rgb.every((v, c) => Math.abs(img.data[o + c]! - v) <= 4)) count++;
    }
  }
  return count;
}

describe('renderPng', () => {
  it('draws the scatter: right size, class colours at their clusters, title text in the bundled font', () => {
    const spec = scatterFixture();
    const img = decode(renderPng(spec));
    expect([img.width, img.height, img.channels]).toEqual([640, 480, 4]);
    const points = spec.marks.find((m) => m.type === 'points') as PointsMark;
    for (let g = 0; g < 3; g++) {
      // Cluster centre in pixels = mean position of its points; there the colour is the class colour at
      // opacity 0.75 over white: 0.75·c + 0.25·255.
      let sx = 0;
      let sy = 0;
      let n = 0;
      points.group.forEach((gi, i) => {
        if (gi === g) [sx, sy, n] = [sx + points.x[i]!, sy + points.y[i]!, n + 1];
      });
      const blend = (k: number) => hexColor(OKABE_ITO[k]!).map((c) => 0.75 * c + 0.25 * 255);
      const near = (k: number) => countNear(img, sx / n, sy / n, 12, blend(k));
      expect(near(g)).toBeGreaterThan(60);
      for (let other = 0; other < 3; other++) if (other !== g) expect(near(other)).toBe(0);
    }
    // Title band (y 8..30 around the centre) has dark anti-aliased glyph pixels: the font was found.
    let dark = 0;
    for (let y = 8; y < 30; y++) for (let x = 240; x < 400; x++) if (img.data[(y * 640 + x) * 4]! < 100) dark++;
    expect(dark).toBeGreaterThan(150);
    // Not blank: a real share of the plot area is covered, and the corners stay white.
    const stats = regionStats(img.data, img.width, img.height);
    expect(stats.reduce((s, r) => s + r.coverage, 0) / stats.length).toBeGreaterThan(0.05);
    expect(windowMean(img, 3, 477, 2)).toEqual([255, 255, 255]);
    expect(bundledFonts().every((f) => existsSync(f))).toBe(true);
  });

  it('matches the stored reference render region by region (the Chromium Canvas test compares with it too)', () => {
    const png = renderPng(scatterFixture());
    if (!existsSync(reference) || process.env.VIZ_UPDATE_REFERENCE) writeFileSync(reference, png);
    const want = decode(readFileSync(reference));
    const got = decode(png);
    const a = regionStats(got.data, got.width, got.height);
    const b = regionStats(want.data, want.width, want.height);
    a.forEach((r, i) => {
      expect(Math.abs(r.r - b[i]!.r)).toBeLessThan(1);
      expect(Math.abs(r.coverage - b[i]!.coverage)).toBeLessThan(0.005);
    });
  });

  it('draws image tiles pixel-exact with nearest-neighbour scaling, and scales the whole picture', async () => {
    const spec = imageGrid({
      images: flatImages(4, 6, 6),
      imageShape: [6, 6],
      cols: 2,
      gap: 2,
      scale: 8,
      title: 'Tiles',
    });
    const img = decode(renderPng(spec));
    const mark = spec.marks.find((m) => m.type === 'image')!;
    if (mark.type !== 'image') throw new Error('no image mark');
    // Tile 3 (row 1, col 1) starts at image pixel (8, 8); its centre pixel (3, 3) holds 4/5 of white.
    const cx = mark.x + (8 + 3.5) * 8;
    const cy = mark.y + (8 + 3.5) * 8;
    windowMean(img, cx, cy, 2).forEach((v) => {
      expect(v).toBeCloseTo(Math.round((255 * 4) / 5), 0);
    });
    // Its top-left pixel is white (1.0), the one next to it is not: no smoothing across pixels.
    windowMean(img, mark.x + 8.5 * 8, mark.y + 8.5 * 8, 2).forEach((v) => {
      expect(v).toBe(255);
    });
    windowMean(img, mark.x + 9.5 * 8, mark.y + 8.5 * 8, 2).forEach((v) => {
      expect(v).toBe(204);
    });
    const big = decode(renderPng(spec, { scale: 2 }));
    expect([big.width, big.height]).toEqual([2 * spec.width, 2 * spec.height]);
    const dir = mkdtempSync(join(tmpdir(), 'viz-'));
    await writePng(join(dir, 'loss.png'), lossCurves({ train: { total: [3, 2, 1.5] } }));
    expect(decode(readFileSync(join(dir, 'loss.png'))).width).toBe(640);
  });
});
