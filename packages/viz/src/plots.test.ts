import { describe, expect, it } from 'vitest';
import { klPerDimension, screePlot } from './bar-charts.js';
import { VizEmptyError, VizNonFiniteError, VizShapeError, VizValueError } from './errors.js';
import { imageGrid, reconstructionGrid } from './image-grid.js';
import { interpolationStrip, latentManifold } from './latent-manifold.js';
import { latentScatter } from './latent-scatter.js';
import { lossCurves } from './loss-curves.js';
import { gridValues } from './manifold-grid.js';
import { OKABE_ITO, TOL_MUTED } from './palette.js';
import { renderSvg } from './render-svg.js';
import type { ImageMark, Mark, PathMark, PlotSpec, PointsMark, RectMark, TextMark } from './spec.js';
import { syntheticLatents, toyDecode } from './synthetic.js';
import { parseElements } from './test-support/dom.js';
import { flatImages, scatterFixture } from './test-support/fixtures.js';

const marksOf = <T extends Mark['type']>(spec: PlotSpec, type: T) =>
  spec.marks.filter((m): m is Extract<Mark, { type: T }> => m.type === type);
const texts = (spec: PlotSpec) => marksOf(spec, 'text').map((t: TextMark) => t.text);

/** Checks the SVG parses, has the title, axis labels and no script, then compares it with its snapshot file. */
async function checkSvg(spec: PlotSpec, name: string, labels: string[]) {
  const svg = renderSvg(spec);
  const elements = parseElements(svg);
  expect(elements[0]?.tag ?? elements.find((e) => e.tag === 'svg')?.tag).toBeDefined();
  expect(elements.some((e) => e.tag === 'svg')).toBe(true);
  expect(elements.some((e) => e.tag === 'script')).toBe(false);
  const svgTexts = elements.filter((e) => e.tag === 'text').map((e) => e.text);
  for (const label of [spec.title, ...labels]) expect(svgTexts).toContain(label);
  await expect(svg).toMatchFileSnapshot(`./__snapshots__/${name}.svg`);
}

describe('latentScatter', () => {
  it('maps codes to pixels with one affine map per axis and colours classes with Okabe–Ito', async () => {
    const { codes, labels } = syntheticLatents(600, { classes: 3, seed: 7 });
    const spec = scatterFixture();
    const [points] = marksOf(spec, 'points') as PointsMark[];
    expect(points!.x).toHaveLength(600);
    expect(points!.colors).toEqual(OKABE_ITO.slice(0, 3));
    // Points are drawn class by class; recover each point's code and check px = a·z + b on both axes.
    const order = Array.from({ length: 600 }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]! || a - b);
    const z = (o: number, j: number) => codes[order[o]! * 2 + j]!;
    // Slopes from the two most distant codes on each axis (pixels are rounded to 0.01).
    const extremes = (j: number) => {
      const all = order.map((_, o) => o);
      return [
        all.reduce((a, b) => (z(b, j) < z(a, j) ? b : a)),
        all.reduce((a, b) => (z(b, j) > z(a, j) ? b : a)),
      ] as const;
    };
    const [x0, x1] = extremes(0);
    const [y0, y1] = extremes(1);
    const ax = (points!.x[x1]! - points!.x[x0]!) / (z(x1, 0) - z(x0, 0));
    const ay = (points!.y[y1]! - points!.y[y0]!) / (z(y1, 1) - z(y0, 1));
    expect(ay).toBeLessThan(0); // y grows upwards
    order.forEach((_, o) => {
      expect(Math.abs(points!.x[o]! - (points!.x[x0]! + ax * (z(o, 0) - z(x0, 0))))).toBeLessThan(0.02);
      expect(Math.abs(points!.y[o]! - (points!.y[y0]! + ay * (z(o, 1) - z(y0, 1))))).toBeLessThan(0.02);
      expect(points!.group[o]).toBe(labels[order[o]!]);
    });
    await checkSvg(spec, 'latent-scatter', ['zero', 'one', 'two', 'z1', 'z2', 'class']);
  });

  it('sample mode draws a seeded sample and says so', async () => {
    const { codes, labels, classNames } = syntheticLatents(10_000, { seed: 1 });
    const spec = latentScatter({ codes, dim: 2, labels, classNames, mode: 'sample', maxPoints: 500, seed: 3 });
    const points = marksOf(spec, 'points')[0] as PointsMark;
    expect(points.x).toHaveLength(500);
    expect(points.colors).toEqual([...TOL_MUTED]); // 10 classes: Tol muted
    expect(texts(spec)).toContain('500 of 10,000 codes (uniform random sample, seed 3)');
    const again = latentScatter({ codes, dim: 2, labels, classNames, mode: 'sample', maxPoints: 500, seed: 3 });
    expect(Array.from((marksOf(again, 'points')[0] as PointsMark).x)).toEqual(Array.from(points.x));
    // The SVG holds one circle (two arcs) per sampled point.
    const pointPaths = parseElements(renderSvg(spec)).filter((e) => e.tag === 'path' && e.attrs['fill-opacity']);
    const arcs = pointPaths.map((p) => (p.attrs.d!.match(/a[\d.]+,[\d.]+ 0 1,0/g) ?? []).length);
    expect(arcs.reduce((a, b) => a + b, 0)).toBe(2 * 500);
    await checkSvg(spec, 'latent-scatter-sample', classNames);
  });

  it('hexbin mode colours each hexagon by its majority class with opacity ∝ count', async () => {
    const { codes, labels } = syntheticLatents(3000, { classes: 4, seed: 5 });
    const spec = latentScatter({ codes, dim: 2, labels, mode: 'hexbin', hexRadius: 10, title: 'Density' });
    const hexes = (marksOf(spec, 'path') as PathMark[]).filter((p) => p.opacity !== undefined);
    expect(hexes.length).toBeGreaterThan(20);
    const palette = OKABE_ITO.slice(0, 4) as string[];
    for (const h of hexes) {
      expect(palette).toContain(h.fill);
      expect(h.opacity!).toBeGreaterThanOrEqual(0.25);
      expect(h.opacity!).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...hexes.map((h) => h.opacity!))).toBe(1);
    // Every class is the majority somewhere (the clusters are separated).
    expect(new Set(hexes.map((h) => h.fill)).size).toBe(4);
    await checkSvg(spec, 'latent-scatter-hexbin', ['0', '1', '2', '3']);
  });

  it('hexbin mode without labels colours by count on viridis, with a count legend', async () => {
    const { codes } = syntheticLatents(2000, { classes: 2, seed: 9 });
    const spec = latentScatter({ codes, dim: 2, mode: 'hexbin', hexRadius: 12, title: 'Unlabelled density' });
    const hexes = (marksOf(spec, 'path') as PathMark[]).filter((p) => p.d.endsWith('z') && p.fill?.startsWith('#'));
    expect(hexes.length).toBeGreaterThan(10);
    // viridis(1) = #fde725 (yellow) for the fullest hexagon; sparse ones are dark purple-blue.
    expect(hexes.map((h) => h.fill)).toContain('#fde725');
    expect(texts(spec)).toContain('codes');
    await checkSvg(spec, 'latent-scatter-hexbin-unlabelled', ['2,000 codes in hexagons: colour = count (viridis)']);
  });

  it('refuses bad input with typed errors', () => {
    expect(() => latentScatter({ codes: [] })).toThrow(VizEmptyError);
    expect(() =>
      latentScatter({
        codes: [
          [0, 1],
          [Number.NaN, 2],
        ],
      }),
    ).toThrow(VizNonFiniteError);
    expect(() =>
      latentScatter({
        codes: [
          [0, 1],
          [1, 2],
        ],
        labels: [0],
      }),
    ).toThrow(VizShapeError);
    expect(() =>
      latentScatter({
        codes: [
          [0, 1],
          [1, 2],
        ],
        labels: [0, 1.5],
      }),
    ).toThrow(VizValueError);
    expect(() =>
      latentScatter({
        codes: [
          [0, 1],
          [1, 2],
        ],
        labels: [0, 2],
        classNames: ['a'],
      }),
    ).toThrow(/too few classNames/);
    expect(() => latentScatter({ codes: new Float32Array(5), dim: 2 })).toThrow(VizShapeError);
  });
});

describe('image grids', () => {
  it('imageGrid tiles images row-major and keeps their grey values', async () => {
    const images = flatImages(6, 4, 3);
    const spec = imageGrid({ images, imageShape: [4, 3], cols: 3, gap: 1, title: 'Six flat images' });
    const img = marksOf(spec, 'image')[0] as ImageMark;
    expect([img.pixelWidth, img.pixelHeight]).toEqual([3 * 3 + 2, 2 * 4 + 1]);
    // Tile 4 (row 1, col 1): origin at (4, 5); its (1, 1) pixel is (4+1)/7 of white.
    const o = ((5 + 1) * img.pixelWidth + 4 + 1) * 4;
    expect(img.rgba[o]).toBe(Math.round((255 * 5) / 7));
    expect(img.rgba[((5 + 0) * img.pixelWidth + 4) * 4]).toBe(255); // its white top-left pixel
    await checkSvg(spec, 'image-grid', ['6 images, 4 × 3']);
  });

  it('reconstructionGrid puts each reconstruction under its input', async () => {
    const inputs = flatImages(3, 2, 2);
    const recons = new Uint8Array(12).fill(9);
    const spec = reconstructionGrid({ inputs, reconstructions: recons, imageShape: [2, 2], gap: 1, range: 'auto' });
    const img = marksOf(spec, 'image')[0] as ImageMark;
    expect(img.pixelHeight).toBe(2 * 2 + 1);
    // Row 1 (y = 3), column 2 (x = 6): reconstruction 2 = 9; row 0 (y = 0), x = 7: input 2's second pixel 3/4.
    expect(img.rgba[(3 * img.pixelWidth + 6) * 4]).toBe(9);
    expect(img.rgba[(0 * img.pixelWidth + 7) * 4]).toBe(Math.round(255 * 0.75));
    expect(texts(spec)).toEqual(expect.arrayContaining(['input', 'recon.']));
    await checkSvg(spec, 'reconstruction-grid', ['input', 'recon.']);
    expect(() => reconstructionGrid({ inputs, reconstructions: new Uint8Array(8), imageShape: [2, 2] })).toThrow(
      /one reconstruction per input: expected 3 reconstructions, found 2/,
    );
  });
});

/** The x-axis tick labels of a tile plot: the text marks along its lowest row (not the axis title), left to right. */
function xTicks(spec: PlotSpec): TextMark[] {
  const marks = marksOf(spec, 'text').filter((m: TextMark) => m.anchor === 'middle' && !m.rotate);
  const bottom = Math.max(...marks.filter((m) => m.text !== 'z₁').map((m) => m.y));
  return marks.filter((m) => m.y === bottom).sort((a, b) => a.x - b.x);
}

describe('latentManifold and interpolationStrip', () => {
  it('decodes the Gaussian-quantile grid, top row = largest z₂', async () => {
    let seen: Float32Array[] = [];
    const decode = async (z: Float32Array[]) => {
      seen = z;
      return toyDecode(z, 12, 12);
    };
    const spec = await latentManifold({ decode, imageShape: [12, 12], latentDim: 2, n: 5, spacing: 'gaussian' });
    const q = gridValues(5, { spacing: 'gaussian' });
    expect(seen).toHaveLength(25);
    expect(seen[0]![0]).toBeCloseTo(q[0]!, 6);
    expect(seen[0]![1]).toBeCloseTo(q[4]!, 6);
    expect(seen[24]![0]).toBeCloseTo(q[4]!, 6);
    expect(seen[24]![1]).toBeCloseTo(q[0]!, 6);
    expect(texts(spec)).toContain('5 × 5 decoded codes, Gaussian-quantile grid');
    expect(texts(spec)).toContain(q[4]!.toFixed(1));
    await checkSvg(spec, 'latent-manifold', ['z₁', 'z₂']);
  });

  it('labels at most 8 tiles per axis, evenly from the first to the last (no crowded end labels)', async () => {
    const n = 20;
    const spec = await latentManifold({
      decode: (z) => toyDecode(z, 6, 6),
      imageShape: [6, 6],
      latentDim: 2,
      n,
      spacing: 'gaussian',
    });
    const q = gridValues(n, { spacing: 'gaussian' });
    const ticks = xTicks(spec);
    const want = [0, 3, 5, 8, 11, 14, 16, 19].map((i) => q[i]!.toFixed(1)); // round(j·19/7)
    expect(ticks.map((t) => t.text)).toEqual(want);
    const gaps = ticks.slice(1).map((t, i) => t.x - ticks[i]!.x);
    expect(Math.min(...gaps)).toBeGreaterThan(0.6 * Math.max(...gaps));
  });

  it("puts a linear grid's ticks at round values, where those values fall between the tile centres", async () => {
    for (const [n, extent, want] of [
      [12, 3, [-3, -2, -1, 0, 1, 2, 3]],
      [9, 13.7, [-10, -5, 0, 5, 10]],
    ] as const) {
      const gap = 1;
      const spec = await latentManifold({
        decode: (z) => toyDecode(z, 6, 6),
        imageShape: [6, 6],
        latentDim: 2,
        n,
        extent,
        gap,
      });
      const image = spec.marks.find((m) => m.type === 'image')!;
      const s = image.width / image.pixelWidth;
      // Tile i's centre is at x₀ + (i·(w + gap) + w/2)·s and holds x_i = −e + 2e·i/(n − 1) (gridValues), so the
      // value t sits at the fractional index i = (t + e)(n − 1)/(2e).
      const pixelOf = (t: number) => image.x + ((((t + extent) * (n - 1)) / (2 * extent)) * (6 + gap) + 3) * s;
      const ticks = xTicks(spec);
      expect(ticks.map((t) => t.text)).toEqual(want.map((t) => (t < 0 ? `−${-t}` : String(t))));
      for (const [i, t] of ticks.entries()) expect(t.x).toBeCloseTo(pixelOf(want[i]!), 6);
    }
  });

  it('uses the PCA plane of codes when latent dim > 2 and checks the decoder output', async () => {
    const { codes } = syntheticLatents(200, { dim: 4, seed: 2 });
    const spec = await latentManifold({
      decode: (z) => toyDecode(z, 8, 8),
      imageShape: [8, 8],
      codes,
      codesDim: 4,
      n: 4,
    });
    expect(texts(spec)).toEqual(expect.arrayContaining(['PC 1 (σ)', 'PC 2 (σ)']));
    await expect(
      latentManifold({ decode: () => new Float32Array(64), imageShape: [8, 8], latentDim: 2, n: 3 }),
    ).rejects.toThrow(/decode must return one image per code: expected 9 images, found 1/);
    await expect(
      latentManifold({ decode: () => new Float32Array(9 * 10), imageShape: [8, 8], latentDim: 2, n: 3 }),
    ).rejects.toThrow(VizShapeError);
  });

  it('interpolationStrip decodes interpolate(a, b) and labels t', async () => {
    const spec = await interpolationStrip({
      decode: (z) => toyDecode(z, 10, 10),
      imageShape: [10, 10],
      a: [-2, 0],
      b: [2, 0],
      steps: 5,
    });
    expect(texts(spec)).toEqual(expect.arrayContaining(['0', '0.25', '0.5', '0.75', '1', 'Interpolation (linear)']));
    await checkSvg(spec, 'interpolation-strip', ['0.5']);
  });
});

describe('lossCurves', () => {
  const epochs = 12;
  const recon = Array.from({ length: epochs }, (_, e) => 100 * Math.exp(-e / 4) + 40);
  const kl = Array.from({ length: epochs }, (_, e) => 2 + 8 * (1 - Math.exp(-e / 3)));
  const total = recon.map((r, e) => r + kl[e]!);

  it('draws train solid and validation dashed, one line per series', async () => {
    const spec = lossCurves({
      train: { reconstruction: recon, kl, total },
      validation: { total: total.map((t) => t + 3) },
    });
    const lines = (marksOf(spec, 'path') as PathMark[]).filter((p) => p.strokeWidth === 2 && p.d.includes('L'));
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.dash)).toHaveLength(1);
    // Each line has one vertex per epoch: 1 M and 11 L commands.
    for (const l of lines) expect((l.d.match(/L/g) ?? []).length).toBe(epochs - 1);
    await checkSvg(spec, 'loss-curves', ['epoch', 'loss', 'total (validation)', 'KL (train)']);
  });

  it('leaves a labelled gap where values are NaN, and on a log scale where they are ≤ 0', async () => {
    const broken = [...total];
    broken[4] = Number.NaN;
    broken[5] = Number.POSITIVE_INFINITY;
    const spec = lossCurves({
      train: { total: broken, kl: kl.map((v, e) => (e === 0 ? 0 : v)) },
      logScale: true,
      title: 'Diverged',
    });
    expect(texts(spec)).toContain('not drawn (NaN/∞/≤ 0): KL (train): epoch 1; total (train): epoch 5–6');
    expect(texts(spec).filter((t) => t === 'gap')).toHaveLength(2);
    const bands = marksOf(spec, 'rect') as RectMark[];
    expect(bands).toHaveLength(2);
    const totalLine = (marksOf(spec, 'path') as PathMark[]).find((p) => p.stroke === '#000000' && p.strokeWidth === 2)!;
    expect((totalLine.d.match(/M/g) ?? []).length).toBe(2); // broken into two runs
    await checkSvg(spec, 'loss-curves-gap', ['loss (log scale)']);
  });

  it('refuses empty or undrawable histories', () => {
    expect(() => lossCurves({ train: {} })).toThrow(VizEmptyError);
    expect(() => lossCurves({ train: { total: [Number.NaN] } })).toThrow(VizNonFiniteError);
  });
});

describe('screePlot and klPerDimension', () => {
  it('screePlot bars are λ_k/Σλ and the cumulative line ends at 100 %', async () => {
    const variances = [1, 4, 2, 0.5, 0.5];
    const spec = screePlot({ variances });
    const bars = marksOf(spec, 'rect').filter((r) => r.fill === '#56B4E9' && r.width > 12) as RectMark[];
    expect(bars).toHaveLength(5);
    const full = bars[0]!.height / (4 / 8); // pixels per 100 %
    [4, 2, 1, 0.5, 0.5].forEach((v, i) => {
      expect(bars[i]!.height).toBeCloseTo((full * v) / 8, 6);
    });
    expect(texts(spec)).toEqual(expect.arrayContaining(['100%', '40%', 'cumulative']));
    await checkSvg(spec, 'scree', ['principal component', 'explained variance']);
    expect(() => screePlot({ variances: [1, -1] })).toThrow(VizValueError);
    expect(() => screePlot({ variances: [] })).toThrow(VizEmptyError);
  });

  it('klPerDimension counts active units and greys collapsed ones', async () => {
    const kl = [2.1, 0.005, 1.3, 0, 0.4, 0.009];
    const spec = klPerDimension({ kl });
    expect(texts(spec)).toContain('3 of 6 dimensions active (KL > 0.01 nats)');
    const bars = (marksOf(spec, 'rect') as RectMark[]).filter((r) => r.width > 12);
    expect(bars.map((b) => b.fill)).toEqual(['#0072B2', '#999999', '#0072B2', '#999999', '#0072B2', '#999999']);
    expect(bars[0]!.height / bars[2]!.height).toBeCloseTo(2.1 / 1.3, 6);
    await checkSvg(spec, 'kl-per-dimension', ['latent dimension', 'KL (nats)']);
    expect(() => klPerDimension({ kl: [1, -0.5] })).toThrow(/negative/);
    expect(() => klPerDimension({ kl: [1, Number.NaN] })).toThrow(VizNonFiniteError);
    const collapsed = klPerDimension({ kl: [0, 0.001] });
    expect(texts(collapsed)).toContain('every dimension collapsed to the prior');
  });
});
