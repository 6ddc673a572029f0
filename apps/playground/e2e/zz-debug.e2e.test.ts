import { it } from 'vitest';
import { startHarness } from './harness.js';
it('debug', async () => {
  const h = await startHarness();
  const page = await h.browser.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  page.on('worker', (w) => { console.log('worker', w.url()); w.on('console', (m) => console.log('wconsole', m.type(), m.text())); });
  await page.goto(h.url);
  await page.waitForTimeout(8000);
  console.log((await page.locator('body').innerText()).slice(0, 1500));
  await page.screenshot({ path: '/tmp/dbg.png' });
  await h.close();
});
