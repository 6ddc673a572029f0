/**
 * End to end, hostile input: what the server sends with each file (nosniff and the isolation headers) and what the
 * page does with uploads that are malformed, carry markup or are too large. The built playground in headless
 * Chromium, served by `vite preview` (see harness.ts).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appErrors, appRoot, artifactsDir, fileHarness, openApp } from './harness.js';

const h = fileHarness();

async function open(): Promise<Page> {
  return (await openApp(h, { context: 'shared' })).page;
}

describe('playground, hostile input', () => {
  it('sends nosniff and the isolation headers with the HTML, the JS chunks, the worker, the wasm files and the data', async () => {
    const dist = `${appRoot}${process.env.PLAYGROUND_OUT_DIR}/`;
    const assets = await fs.readdir(`${dist}assets`);
    const data = await fs.readdir(`${dist}data`, { recursive: true, withFileTypes: true });
    const paths = [
      '',
      'sw.js',
      ...assets.filter((f) => /\.(js|wasm|css)$/.test(f)).map((f) => `assets/${f}`),
      ...data.filter((e) => e.isFile()).map((e) => `${e.parentPath.slice(dist.length)}/${e.name}`),
    ];
    // The kinds the check must cover, each at least once.
    for (const kind of [/^assets\/index-.*\.js$/, /^assets\/worker-.*\.js$/, /\.wasm$/, /^data\/mnist\/.*\.gz$/])
      expect(
        paths.some((p) => kind.test(p)),
        String(kind),
      ).toBe(true);
    expect(paths.filter((p) => p.endsWith('.wasm'))).toHaveLength(3);
    for (const path of paths) {
      const response = await fetch(`${h.url}${path}`);
      await response.arrayBuffer();
      const header = (name: string) => `${path || '/'} ${name}: ${response.headers.get(name)}`;
      expect(response.status, path).toBe(200);
      expect(header('x-content-type-options')).toBe(`${path || '/'} x-content-type-options: nosniff`);
      expect(header('cross-origin-opener-policy')).toBe(`${path || '/'} cross-origin-opener-policy: same-origin`);
      expect(header('cross-origin-embedder-policy')).toBe(`${path || '/'} cross-origin-embedder-policy: require-corp`);
      expect(header('cross-origin-resource-policy')).toBe(`${path || '/'} cross-origin-resource-policy: same-origin`);
      // With nosniff the browser trusts these types, so they must be right.
      const type = response.headers.get('content-type') ?? '';
      if (path.endsWith('.js')) expect(type, path).toMatch(/^text\/javascript/);
      if (path.endsWith('.wasm')) expect(type, path).toBe('application/wasm');
      if (path === '') expect(type).toMatch(/^text\/html/);
    }
  });

  it('rejects a hostile CSV with a clear message and runs nothing from it', async () => {
    const page = await open();
    await page.getByTestId('dataset').selectOption('csv');
    const hostile =
      'a,b,c\n1,2,3\n<img src=x onerror="window.__pwned=1">,2,3\n4,5\n"<script>window.__pwned=2</script>",1,1\n';
    await page
      .getByTestId('csv-file')
      .setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostile) });
    const alert = page.getByTestId('error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Bad CSV file.*line 3.*hostile\.csv/s);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    // A ragged file (no markup) fails with the line of the short row.
    await page
      .getByTestId('csv-file')
      .setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n3\n') });
    await alert.filter({ hasText: 'ragged.csv' }).waitFor();
    expect(await alert.textContent()).toMatch(/line 3/);
    await page.screenshot({ path: `${artifactsDir}05-hostile-csv.png` });
    // An upload that is not a model file is refused the same way.
    await page.getByTestId('upload').setInputFiles([
      {
        name: 'evil.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"modelTopology":{"format":"<img src=x onerror=alert(1)>"},"weightsManifest":[]}'),
      },
    ]);
    await alert.filter({ hasText: 'Bad model file' }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    // A .json file that is not JSON (tfjs's own browserFiles handler would wait forever on it) is refused too.
    await page.getByTestId('upload').setInputFiles([
      { name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('<script>alert(1)</script>') },
      { name: 'not-json.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8) },
    ]);
    await alert.filter({ hasText: 'not-json.json is not valid JSON' }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('refuses an oversized CSV or model file from its size, without reading it', async () => {
    // Sparse files of one byte over each limit (32 MiB of CSV, 64 MiB of model JSON): nothing is written to disk,
    // and Chromium gets their paths, so a file that were read would be a long run of zero bytes.
    const dir = await fs.mkdtemp(join(tmpdir(), 'latentlab-e2e-'));
    try {
      const sparse = async (name: string, size: number) => {
        const path = join(dir, name);
        await fs.writeFile(path, '');
        await fs.truncate(path, size);
        return path;
      };
      const page = await open();
      await page.getByTestId('dataset').selectOption('csv');
      await page.getByTestId('csv-file').setInputFiles(await sparse('huge.csv', 32 * 1024 * 1024 + 1));
      const alert = page.getByTestId('error');
      await alert.filter({ hasText: 'huge.csv' }).waitFor();
      expect(await alert.textContent()).toMatch(
        /Bad CSV file.*too large in huge\.csv: expected at most 33554432 bytes \(32 MiB\), found 33554433 bytes/s,
      );
      // Choosing "CSV file…" let the previous data go; a refused file loads nothing, so Train waits for a good one.
      expect(await page.getByTestId('data-summary').textContent()).toBe('Choose a CSV file.');
      expect(await page.getByTestId('train').isDisabled()).toBe(true);
      const json = await sparse('huge.json', 64 * 1024 * 1024 + 1);
      const bin = await sparse('huge.weights.bin', 8);
      await page.getByTestId('upload').setInputFiles([json, bin]);
      await alert.filter({ hasText: 'huge.json' }).waitFor();
      expect(await alert.textContent()).toContain(
        'Bad model file. This is not a playground model file: huge.json holds 67108865 bytes, more than the 67108864 (64 MiB) a model file may have.',
      );
      await page.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('logged no console errors on any page', () => {
    expect(appErrors(h).flat()).toEqual([]);
  });
});
