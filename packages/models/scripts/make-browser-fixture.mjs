#!/usr/bin/env node
// Regenerates src/io/fixtures/browser-saved-vae/: a VAE trained and saved in headless Chromium on the WebGL
// backend through tfjs's browserDownloads handler, for browser-saved.node.test.ts (which loads it in Node).
//
//   cd packages/models && node scripts/make-browser-fixture.mjs
//
// 1. bundles scripts/browser-fixture.entry.mjs (our sources through the '@latentlab/source' condition, tfjs-core
//    and tfjs-backend-webgl) with rolldown into one ES module;
// 2. starts Chromium with playwright-core (CHROMIUM_PATH or /usr/bin/chromium, WebGL2 through SwiftShader),
//    runs the bundle in a blank page and calls its make(): train, record x, μ and decode(μ), saveModel to
//    'downloads://browser-vae';
// 3. saves the two downloads Chromium receives as they are (browser-vae.json, browser-vae.weights.bin) and the recorded
//    values as browser-outputs.json.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/io/fixtures/browser-saved-vae');

const bundle = await build({
  input: join(root, 'scripts/browser-fixture.entry.mjs'),
  platform: 'browser',
  logLevel: 'warn',
  write: false,
  resolve: {
    conditionNames: ['@latentlab/source', 'browser', 'import', 'module', 'default'],
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
  // With tree-shaking on, rolldown drops tfjs-core's io/browser_files.js (and io/http.js), whose only use here is
  // the side effect of registering the 'downloads://' router, although tfjs-core lists dist/io/*.js as sideEffects.
  treeshake: false,
  output: { format: 'esm', codeSplitting: false },
});
const code = bundle.output[0].code;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--ignore-gpu-blocklist',
  ],
});
try {
  const page = await browser.newPage({ acceptDownloads: true });
  page.on('console', (m) => console.log(`[chromium] ${m.text()}`));
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.setContent('<!doctype html><title>latentlab browser fixture</title>');
  await page.addScriptTag({ type: 'module', content: code });
  await page.waitForFunction(() => 'latentlabBrowserFixture' in globalThis);
  const outputs = await page.evaluate(() => globalThis.latentlabBrowserFixture.make());
  const deadline = Date.now() + 30_000;
  while (downloads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const names = downloads.map((d) => d.suggestedFilename());
  if (names.join() !== 'browser-vae.json,browser-vae.weights.bin') {
    throw new Error(
      `expected the downloads browser-vae.json, browser-vae.weights.bin; found ${names.join(', ') || 'none'}`,
    );
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const d of downloads) {
    const failure = await d.failure();
    if (failure) throw new Error(`download ${d.suggestedFilename()} failed: ${failure}`);
    await d.saveAs(join(out, d.suggestedFilename()));
  }
  await writeFile(join(out, 'browser-outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`);
  console.log(`wrote ${names.join(', ')}, browser-outputs.json to ${out} (${outputs.userAgent})`);
} finally {
  await browser.close();
}
