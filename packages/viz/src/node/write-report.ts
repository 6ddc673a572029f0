import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeXml } from '../escape.js';
import type { ReportSection } from '../report.js';
import { renderPng } from './render-png.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of `writeReport`: its title and sections. */
export interface ReportOptions {
  title: string;
  sections: ReportSection[];
  /** Pixel density of the PNGs (default 1). */
  scale?: number;
  /**
   * Writes one file of the report. Default: an atomic write (temp file + rename, never through a symlink at the
   * target; see `write-file-atomic.ts`). The CLI passes `@latentlab/core/node`'s `writeFileAtomic`.
   */
  writeFile?: (file: string, data: Uint8Array | string) => Promise<void>;
}

/** What `writeReport` wrote. */
export interface ReportResult {
  /** Path of the written `index.html`. */
  html: string;
  /** Paths of the written PNGs, in section order. */
  images: string[];
  /** Sections whose plot could not be built: shown in the page as a labelled error box instead of a picture. */
  errors: { heading: string; message: string }[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'plot';

/**
 * Writes an HTML report to `dir`: `index.html` with one section per entry, each plot as a PNG beside it
 * (`01-loss-per-epoch.png`, ...), every file written atomically and never through a planted symlink. All user text is HTML-escaped. A plot that fails to build (e.g. a `VizError`
 * from NaN codes) becomes a visible, labelled error box in the page and an entry of `errors`, never a blank image.
 *
 * @example
 * const data = { ...syntheticLatents(500, { seed: 1 }), decode: (z: Float32Array[]) => toyDecode(z), imageShape: [28, 28] as [number, number] };
 * await writeReport('out/report', { title: 'VAE, 2-d latent', sections: latentReportSections(data) });
 */
export async function writeReport(dir: string, options: ReportOptions): Promise<ReportResult> {
  // Settle every plot before the first await, so a rejected promise is handled even while earlier sections render.
  const plots = options.sections.map((s) =>
    Promise.resolve(s.plot).then(
      (spec) => ({ spec }),
      (error: unknown) => ({ error }),
    ),
  );
  await mkdir(dir, { recursive: true });
  const write = options.writeFile ?? writeFileAtomic;
  const images: string[] = [];
  const errors: ReportResult['errors'] = [];
  const parts: string[] = [];
  let k = 0;
  for (const section of options.sections) {
    const settled = await plots[k]!;
    k += 1;
    const heading = `<h2>${escapeXml(section.heading)}</h2>`;
    const text = section.text ? `<p>${escapeXml(section.text)}</p>` : '';
    try {
      if ('error' in settled) throw settled.error;
      const { spec } = settled;
      const file = `${String(k).padStart(2, '0')}-${slug(spec.title)}.png`;
      await write(join(dir, file), renderPng(spec, { scale: options.scale ?? 1 }));
      images.push(join(dir, file));
      parts.push(
        `<section>${heading}${text}<img src="${escapeXml(file)}" width="${spec.width}" height="${spec.height}" alt="${escapeXml(spec.title)}"></section>`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push({ heading: section.heading, message });
      parts.push(
        `<section>${heading}${text}<div class="error"><strong>Plot not drawn:</strong> ${escapeXml(message)}</div></section>`,
      );
    }
  }
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(options.title)}</title>
<style>
body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
section { margin: 2rem 0; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
.error { border: 2px solid #b2182b; background: #fbeaea; color: #b2182b; padding: 1rem; }
</style>
</head>
<body>
<h1>${escapeXml(options.title)}</h1>
${parts.join('\n')}
</body>
</html>
`;
  const htmlPath = join(dir, 'index.html');
  await write(htmlPath, html);
  return { html: htmlPath, images, errors };
}
