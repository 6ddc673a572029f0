/**
 * Serves the built app with `vite preview` (with its COOP/COEP headers) on a free localhost port and drives
 * Debian's Chromium through playwright-core. Shared by the end-to-end tests and the benchmark.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface Harness {
  url: string;
  browser: Browser;
  server: PreviewServer;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  // `pnpm test` builds into dist-e2e/ so it never reads a dist/ that a concurrent `build` task is writing.
  const outDir = process.env.PLAYGROUND_OUT_DIR ?? 'dist-e2e';
  process.env.PLAYGROUND_OUT_DIR = outDir; // read by vite.config.ts
  if (!existsSync(`${appRoot}${outDir}/index.html`)) {
    throw new Error(
      `no build in ${appRoot}${outDir}: run \`pnpm --filter @latentlab/playground test\` (it builds first)`,
    );
  }
  mkdirSync(artifactsDir, { recursive: true });
  const port = await freePort();
  const server = await preview({
    root: appRoot,
    logLevel: 'warn',
    preview: { port, strictPort: true, host: '127.0.0.1', open: false },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url: `http://localhost:${port}/`,
    browser,
    server,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Collects console errors and uncaught exceptions of a page (and its workers). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) =>
    worker.on('console', (message) => message.type() === 'error' && errors.push(`worker: ${message.text()}`)),
  );
  return errors;
}

/** The training state the progress line exposes in data attributes. */
export async function progressOf(page: Page): Promise<{ step: number; state: string; loss: number; backend: string }> {
  const el = page.getByTestId('progress');
  const [step, state, loss, backend] = await Promise.all(
    ['data-step', 'data-state', 'data-loss', 'data-backend'].map((a) => el.getAttribute(a)),
  );
  return { step: Number(step), state: state ?? '', loss: Number(loss), backend: backend ?? '' };
}

/** Waits until the progress line shows at least `minStep` steps (and `state` / `backend` when given). */
export async function waitForProgress(
  page: Page,
  want: { minStep?: number; state?: string; backend?: string },
  timeout = 180_000,
): Promise<void> {
  await page.waitForFunction(
    (w) => {
      const el = document.querySelector('[data-testid="progress"]');
      if (!el) return false;
      return (
        Number(el.getAttribute('data-step')) >= (w.minStep ?? 0) &&
        (w.state === undefined || el.getAttribute('data-state') === w.state) &&
        (w.backend === undefined || el.getAttribute('data-backend') === w.backend)
      );
    },
    want,
    { timeout, polling: 100 },
  );
}

export async function setNumber(page: Page, label: string, value: number): Promise<void> {
  await page.getByLabel(label).fill(String(value));
}
