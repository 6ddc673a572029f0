import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertNoLeaks } from '@latentlab/core/testing';
import { noisyLinearSubspace } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as run } from './test-support/cli.js';

const root = await fs.mkdtemp(path.join(tmpdir(), 'latentlab-report-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

// 16 features, so every example is also a 4 × 4 image: the image sections (reconstructions, samples, manifold,
// interpolation) are drawn too. Points near a 2-d subspace, shifted into roughly [0, 1].
const csv = path.join(root, 'points.csv');
{
  const { dataset } = noisyLinearSubspace({ n: 96, dim: 16, rank: 2, noise: 0.05, seed: 4 });
  const x = Array.from(dataset.x as ArrayLike<number>, (v) => 0.5 + 0.2 * v);
  const rows = Array.from({ length: 96 }, (_, r) => x.slice(r * 16, r * 16 + 16).join(','));
  await fs.writeFile(csv, `${rows.join('\n')}\n`);
}

const common = ['--dataset', csv, '--batch-size', '32', '--seed', '3', '--backend', tf.getBackend()];

/** The `<img>` tags of a report: file name and declared size. */
function images(html: string): { src: string; width: number; height: number }[] {
  return [...html.matchAll(/<img src="([^"]+)" width="(\d+)" height="(\d+)"/g)].map((m) => ({
    src: m[1]!,
    width: Number(m[2]),
    height: Number(m[3]),
  }));
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function checkReport(dir: string, stdout: string): Promise<string> {
  const htmlPath = path.join(dir, 'index.html');
  expect(stdout.trim()).toBe(htmlPath);
  const html = await fs.readFile(htmlPath, 'utf8');
  const imgs = images(html);
  expect(imgs.length).toBeGreaterThan(0);
  expect(html).not.toContain('Plot not drawn');
  for (const img of imgs) {
    const file = path.join(dir, img.src);
    expect(existsSync(file), img.src).toBe(true);
    const size = pngSize(await fs.readFile(file));
    expect(size.width).toBeGreaterThan(0);
    expect(size).toEqual({ width: img.width, height: img.height }); // scale 1: one PNG pixel per declared px
  }
  return html;
}

const headings = (html: string) => [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);

describe('latentlab report', () => {
  it('prints its help and rejects a missing --out or a bad --images (exit 2)', async () => {
    const help = await run('report', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: latentlab report <run-dir> --out <dir>');
    expect((await run('--help')).stdout).toContain('report   write an HTML report');
    const noOut = await run('report', root);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out: expected a report directory, found nothing');
    const many = await run('report', root, '--out', path.join(root, 'x'), '--images', '40');
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--images: expected an integer in 8..16, found "40"');
  });

  it('writes a VAE report: loss curves, latent scatter, KL per dimension, images, manifold; no tensor leak', async () => {
    const runDir = path.join(root, 'vae');
    const trained = await run(
      'train',
      '--model',
      'vae',
      ...common,
      '--latent',
      '2',
      '--hidden',
      '8',
      '--epochs',
      '3',
      '--out',
      runDir,
    );
    expect(trained.code).toBe(0);
    const out = path.join(root, 'vae-report');
    const r = await assertNoLeaks(() =>
      run('report', runDir, '--out', out, '--points', '64', '--images', '8', '--backend', tf.getBackend()),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = await checkReport(out, r.stdout);
    expect(headings(html)).toEqual([
      'Training',
      'Latent space',
      'Active units',
      'Reconstructions',
      'Samples',
      'Learned manifold',
      'Interpolation',
    ]);
    expect(html).toContain(`<title>latentlab report: vae on ${csv}</title>`);
  });

  it('writes a PCA report with the explained variance and no VAE-only plots', async () => {
    const runDir = path.join(root, 'pca');
    const trained = await run('train', '--model', 'pca', ...common, '--latent', '3', '--out', runDir);
    expect(trained.code).toBe(0);
    const out = path.join(root, 'pca-report');
    const r = await assertNoLeaks(() => run('report', runDir, '--out', out, '--backend', tf.getBackend()));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = await checkReport(out, r.stdout);
    const h = headings(html);
    expect(h).toContain('Explained variance');
    expect(h).toContain('Principal components of the codes'); // 3-d codes: scatter on their top-2 plane
    expect(h).toContain('Reconstructions');
    for (const absent of ['Training', 'Active units', 'Samples']) expect(h).not.toContain(absent);
    // The scree text quotes the cumulative ratio from the fitted model's eigenvalues: 3 of 16 on a rank-2 cloud.
    const pct = Number(/3 components explain ([\d.]+)% of the variance/.exec(html)?.[1]);
    expect(pct).toBeGreaterThan(90);
    expect(pct).toBeLessThanOrEqual(100);
  });
});
