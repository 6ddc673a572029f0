import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { latentScatter } from '../latent-scatter.js';
import { latentReportSections } from '../report.js';
import { syntheticLatents, toyDecode } from '../synthetic.js';
import { parseElements } from '../test-support/dom.js';
import { writeReport } from './write-report.js';

const evil = '<script>alert(1)</script>';

describe('writeReport', () => {
  it('writes an HTML page with one PNG per plot from plain arrays (synthetic data)', async () => {
    const { codes, dim, labels, classNames } = syntheticLatents(2000, { dim: 3, seed: 4 });
    const picked = Array.from({ length: 6 }, (_, i) => codes.slice(i * dim, (i + 1) * dim));
    const total = Array.from({ length: 20 }, (_, e) => 200 * Math.exp(-e / 5) + 100);
    const sections = latentReportSections({
      codes,
      dim,
      labels,
      classNames,
      imageShape: [28, 28],
      inputs: toyDecode(picked),
      reconstructions: toyDecode(picked.map((z) => z.map((v) => 0.9 * v))),
      samples: toyDecode(picked),
      decode: async (z) => toyDecode(z),
      history: { train: { total }, validation: { total: total.map((t) => t + 5) } },
      klPerDim: [2, 1, 0.001],
    });
    const dir = mkdtempSync(join(tmpdir(), 'viz-report-'));
    const result = await writeReport(dir, { title: 'Synthetic report', sections });
    expect(result.errors).toEqual([]);
    // loss, scatter (PCA), scree, KL, reconstructions, samples, manifold, interpolation
    expect(result.images).toHaveLength(8);
    const files = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(files).toHaveLength(8);
    for (const f of files) {
      const img = decode(readFileSync(join(dir, f)));
      expect(img.width).toBeGreaterThan(200);
      // Not blank: some pixels far from white.
      let ink = 0;
      for (let i = 0; i < img.data.length; i += img.channels) if (img.data[i]! < 128) ink++;
      expect(ink).toBeGreaterThan(500);
    }
    const html = readFileSync(result.html, 'utf8');
    const imgs = parseElements(html).filter((e) => e.tag === 'img');
    expect(imgs.map((e) => e.attrs.src).sort()).toEqual(files.sort());
    expect(imgs.map((e) => e.attrs.alt)).toContain('Latent codes (PCA projection)');
  });

  it('escapes user text in HTML and shows a failed plot as a labelled error box', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viz-report-'));
    const result = await writeReport(dir, {
      title: evil,
      sections: [
        {
          heading: `${evil} scatter`,
          text: '<img src=x onerror=alert(1)>',
          plot: latentScatter({
            codes: [
              [0, 0],
              [1, 1],
            ],
            labels: [0, 1],
            classNames: [evil, 'b'],
          }),
        },
        { heading: 'broken', plot: Promise.resolve().then(() => latentScatter({ codes: [[0, Number.NaN]] })) },
      ],
    });
    const elements = parseElements(readFileSync(result.html, 'utf8'));
    expect(elements.filter((e) => e.tag === 'script')).toEqual([]);
    expect(elements.filter((e) => e.tag === 'img').map((e) => e.attrs.src)).toEqual(['01-latent-space.png']);
    expect(elements.find((e) => e.tag === 'h1')?.text).toBe(evil);
    expect(elements.find((e) => e.tag === 'title')?.text).toBe(evil);
    expect(elements.filter((e) => e.tag === 'p').map((e) => e.text)).toContain('<img src=x onerror=alert(1)>');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(/latentScatter: code 0 has a non-finite coordinate/);
    const box = elements.find((e) => e.attrs.class === 'error');
    expect(box?.text).toContain('Plot not drawn');
    expect(box?.text).toContain('non-finite');
  });

  it('replaces a symlink planted at index.html instead of writing through it, and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viz-report-link-'));
    const outside = join(mkdtempSync(join(tmpdir(), 'viz-outside-')), 'secret.txt');
    writeFileSync(outside, 'secret');
    const mtime = statSync(outside).mtimeMs;
    symlinkSync(outside, join(dir, 'index.html'));
    const spec = latentScatter({ codes: new Float32Array([0, 0, 1, 1, 2, 0]), dim: 2 });
    const result = await writeReport(dir, { title: 'link', sections: [{ heading: 'scatter', plot: spec }] });
    expect(result.errors).toEqual([]);
    expect(readFileSync(outside, 'utf8')).toBe('secret');
    expect(statSync(outside).mtimeMs).toBe(mtime);
    expect(lstatSync(join(dir, 'index.html')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes every file through a writer passed as writeFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viz-report-writer-'));
    const written: string[] = [];
    const spec = latentScatter({ codes: new Float32Array([0, 0, 1, 1, 2, 0]), dim: 2 });
    await writeReport(dir, {
      title: 'writer',
      sections: [{ heading: 'scatter', plot: spec }],
      writeFile: async (file, data) => {
        written.push(file);
        writeFileSync(file, data);
      },
    });
    expect(written.map((f) => f.slice(dir.length + 1))).toEqual([expect.stringMatching(/^01-.*\.png$/), 'index.html']);
  });
});
