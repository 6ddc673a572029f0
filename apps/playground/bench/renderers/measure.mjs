import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Usage: node measure.mjs <dir> regl deck — <dir> holds reglout/ and deckout/ (see README.md).
const root = process.argv[2];
const server = createServer((req, res) => {
  try {
    const body = readFileSync(join(root, req.url.endsWith('/') ? `${req.url}index.html` : req.url));
    res.writeHead(200, { 'content-type': req.url.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}).listen(0);
const port = server.address().port;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
for (const name of process.argv.slice(3)) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  await ctx.addInitScript(() => {
    window.__lt = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__lt.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await ctx.newPage();
  const load = loadavg()[0];
  await page.goto(`http://localhost:${port}/${name}out/`);
  const ready = await (await page.waitForFunction(() => window.__ready, null, { timeout: 120000 })).jsonValue();
  await page.waitForTimeout(500);
  // 240 frames of pan (a circle) and zoom (×1 … ×4 and back), one camera change per animation frame.
  const r = await page.evaluate(
    (name) =>
      new Promise((resolve) => {
        window.__lt = [];
        const frames = [];
        const script = [];
        const step = (k) => {
          const a = (k / 240) * 2 * Math.PI;
          const zoom = 1 + 3 * Math.sin(a / 2) ** 2;
          const x = 0.3 * Math.cos(a),
            y = 0.3 * Math.sin(a);
          if (name === 'regl') window.__sp.set({ cameraTarget: [x * 0.5, y * 0.5], cameraDistance: 1 / zoom });
          else window.__deck.setProps({ viewState: { target: [x * 2, y * 2, 0], zoom: 6.5 + Math.log2(zoom) } });
        };
        let k = 0;
        const loop = (t) => {
          frames.push(t);
          if (k === 240) {
            resolve({ frames, script, lt: window.__lt });
            return;
          }
          const s = performance.now();
          step(k++);
          script.push(performance.now() - s);
          requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
      }),
    name,
  );
  const d = r.frames.slice(2).map((t, i) => t - r.frames[i + 1]);
  console.log(
    JSON.stringify({
      name,
      load: load.toFixed(1),
      firstRenderMs: ready.firstRenderMs.toFixed(0),
      count: ready.count,
      frames: d.length,
      medianMs: pct(d, 0.5).toFixed(1),
      p95Ms: pct(d, 0.95).toFixed(1),
      maxMs: Math.max(...d).toFixed(1),
      longtasks: r.lt.length,
      longestTask: r.lt.length ? Math.max(...r.lt).toFixed(0) : 0,
    }),
  );
  await ctx.close();
}
await browser.close();
server.close();
