// Builds an HTML report from synthetic data: `pnpm --filter @latentlab/viz build && node scripts/example-report.mjs [dir]`.
// Every plot of @latentlab/viz appears once; the output directory defaults to ./example-report.
import { resolve } from 'node:path';
import {
  dimsPlane,
  latentReportSections,
  manifoldCodes,
  syntheticLatents,
  toyDecode,
  writeReport,
} from '../dist/node/index.js';

const dir = resolve(process.argv[2] ?? 'example-report');
const { codes, dim, labels, classNames } = syntheticLatents(10_000, { dim: 2, seed: 1 });

// Inputs: toy images of 8 codes; "reconstructions": the same codes decoded after a small perturbation.
const picked = Array.from({ length: 8 }, (_, i) => codes.slice(i * dim, (i + 1) * dim));
const inputs = toyDecode(picked);
const reconstructions = toyDecode(picked.map((z) => z.map((v) => v * 0.9 + 0.1)));
const samples = toyDecode(manifoldCodes(dimsPlane(2), 6, { spacing: 'gaussian' }).codes.slice(0, 32));

const epochs = 40;
const recon = Array.from({ length: epochs }, (_, e) => 160 * Math.exp(-e / 8) + 95);
const kl = Array.from({ length: epochs }, (_, e) => 4 + 20 * (1 - Math.exp(-e / 6)));
const history = {
  train: { reconstruction: recon, kl, total: recon.map((r, e) => r + kl[e]) },
  validation: { total: recon.map((r, e) => r + kl[e] + 4 + e * 0.15) },
  logScale: false,
};

const sections = latentReportSections({
  codes,
  dim,
  labels,
  classNames,
  imageShape: [28, 28],
  inputs,
  reconstructions,
  samples,
  decode: (z) => toyDecode(z),
  history,
  klPerDim: [3.1, 2.4, 0.9, 0.3, 0.004, 0.002, 0.05, 0.001],
});
const result = await writeReport(dir, { title: 'Latentlab example report (synthetic data)', sections });
console.log(`wrote ${result.html} with ${result.images.length} plots`);
if (result.errors.length > 0) {
  console.error(result.errors);
  process.exit(1);
}
