/**
 * Serves the built app with `vite preview` (with its COOP/COEP headers) on a free localhost port and drives
 * Debian's Chromium through playwright-core. Shared by the end-to-end tests and the benchmark.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { trainRowsWanted } from '../src/train-rows.js';

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
  // WebGPU through SwiftShader: navigator.gpu gives a software (fallback) adapter on the http://localhost page.
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
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

/** Serves the build in `outDir` (PLAYGROUND_OUT_DIR, else dist-e2e/; a bench may compare another build). */
export async function startHarness(outDir = process.env.PLAYGROUND_OUT_DIR ?? 'dist-e2e'): Promise<Harness> {
  // `pnpm test` builds into dist-e2e/ so it never reads a dist/ that a concurrent `build` task is writing.
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

/** The builds a side-by-side bench measures, started before its test and closed after it. */
export interface ComparedBuilds {
  /** The earlier build labelled '… (before)' when there is one, then this build ('this build'). */
  builds: { label: string; h: Harness }[];
  /** The earlier build's folder, when the environment names one. */
  before: string | undefined;
  /** What to put before the bench's command in BENCHMARKS.md: the two variables as set, or ''. */
  commandPrefix: string;
}

/**
 * This build (PLAYGROUND_OUT_DIR, else dist-e2e/) and, where the environment variable `env` names a folder (e.g. one
 * built by `npx vite build --outDir dist-before` at an earlier commit), that build too, labelled by `${env}_LABEL`
 * (else the folder's name). Call at a bench file's top level.
 *
 * @example
 * const { builds, commandPrefix } = comparedBuilds('EXPLORER_PAN_BEFORE');
 */
export function comparedBuilds(env: string): ComparedBuilds {
  const before = process.env[env];
  const label = process.env[`${env}_LABEL`] ?? before;
  const builds: ComparedBuilds['builds'] = [];
  beforeAll(async () => {
    // Read first: startHarness sets PLAYGROUND_OUT_DIR to the folder it serves (vite.config.ts reads it).
    const outDir = process.env.PLAYGROUND_OUT_DIR ?? 'dist-e2e';
    if (before) builds.push({ label: `${label} (before)`, h: await startHarness(before) });
    builds.push({ label: 'this build', h: await startHarness(outDir) });
  });
  afterAll(async () => {
    for (const { h } of builds) await h.close();
  });
  return { builds, before, commandPrefix: before ? `${env}=${before} ${env}_LABEL=${label} ` : '' };
}

/**
 * The explorer's pan and zoom as a visitor's pointer makes them, around (x, y) on the page: 3 rounds of a drag of
 * 60 moves, then 8 wheel steps in and 8 out.
 */
export async function panAndZoom(page: Page, x: number, y: number): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 150, y + 80, { steps: 30 });
    await page.mouse.move(x - 120, y - 60, { steps: 30 });
    await page.mouse.up();
    for (let k = 0; k < 8; k++) await page.mouse.wheel(0, -120);
    for (let k = 0; k < 8; k++) await page.mouse.wheel(0, 120);
  }
}

/**
 * The harness of one test file: started before its tests, closed after them (the browser with every context and
 * page opened in it). Its properties may be read only inside tests and hooks.
 *
 * @example
 * const h = fileHarness();
 * it('…', async () => {
 *   const { page, errors } = await openApp(h, { query: QUICK_TRAIN });
 * });
 */
export function fileHarness(): Harness {
  let started: Harness | null = null;
  beforeAll(async () => {
    started = await startHarness();
  });
  afterAll(async () => {
    await started?.close();
  });
  const get = (): Harness => {
    if (!started) throw new Error('fileHarness: the harness starts in beforeAll; use it inside tests');
    return started;
  };
  return {
    get url() {
      return get().url;
    },
    get browser() {
      return get().browser;
    },
    get server() {
      return get().server;
    },
    close: () => get().close(),
  };
}

const sharedContexts = new WeakMap<Harness, Promise<BrowserContext>>();
const openedErrors = new WeakMap<Harness, string[][]>();

/** The harness's shared browser context, made on first use with `viewport` (closed with the browser). */
export function sharedContext(h: Harness, viewport = { width: 1440, height: 1000 }): Promise<BrowserContext> {
  const shared = sharedContexts.get(h) ?? h.browser.newContext({ viewport });
  sharedContexts.set(h, shared);
  return shared;
}

/** The console errors of every page {@link openApp} opened with `h`, one list per page (each fills as it runs). */
export function appErrors(h: Harness): string[][] {
  return openedErrors.get(h) ?? [];
}

/** Options of {@link openApp}. */
export interface OpenAppOptions {
  /** The URL's query without `?`, e.g. `backend=wasm&trainRows=10000`. */
  query?: string;
  /** The viewport of a new browser context (1440 × 1000 by default). */
  viewport?: { width: number; height: number };
  /**
   * Open the page in this context, or in the harness's shared one ('shared': made on first use with `viewport`,
   * so the file's pages share IndexedDB and the service worker); a new context otherwise.
   */
  context?: BrowserContext | 'shared';
  /** Set-up on the page before it navigates: routes, init scripts, listeners. */
  before?: (page: Page) => unknown;
  /**
   * Wait for MNIST's training rows on the data panel (the query's `trainRows`, else 60 000) before returning:
   * true by default; false returns as soon as the page has navigated.
   */
  waitForData?: boolean;
}

/** A page of the app, its browser context, and the console errors of the page and its workers (collected on). */
export interface OpenedApp {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/**
 * Opens the app in Chromium: a new page (in a new context with the default timeout STALL_MS, unless one is given)
 * watching console errors, navigated to the app with `query`, after MNIST's training rows are loaded.
 */
export async function openApp(h: Harness, options: OpenAppOptions = {}): Promise<OpenedApp> {
  const { query = '', viewport = { width: 1440, height: 1000 } } = options;
  const context =
    options.context === 'shared'
      ? await sharedContext(h, viewport)
      : (options.context ?? (await h.browser.newContext({ viewport })));
  context.setDefaultTimeout(STALL_MS);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const all = openedErrors.get(h) ?? [];
  openedErrors.set(h, [...all, errors]);
  await options.before?.(page);
  await page.goto(query ? `${h.url}?${query}` : h.url);
  if (options.waitForData !== false) await waitForData(page, trainRowsWanted(`?${query}`) ?? 60_000);
  return { page, context, errors };
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

/**
 * The URL parameter of tests about behaviour rather than fit: MNIST trains on its first 10 000 training digits
 * (`?trainRows`), so an epoch is as long as it was before the app trained on all 60 000; the plots and the test
 * loss still use the whole held-out test split.
 */
export const QUICK_TRAIN = 'trainRows=10000';

/** Waits until the default data (MNIST: `trainRows` training digits, all 60 000 by default) is loaded. */
export async function waitForData(page: Page, trainRows = 60_000): Promise<void> {
  await page
    .getByTestId('data-summary')
    .filter({ hasText: `${trainRows.toLocaleString('en')} × 784` })
    .waitFor({ timeout: STALL_MS });
}

/**
 * How long a wait may see the app make no progress at all (no step, state, backend, job or model change on the
 * progress line) before it fails. Waits end on the app's own progress, never on a wall-clock budget for the
 * whole wait, so a loaded machine only makes them slower; a hang still fails after this long.
 */
export const STALL_MS = Number(process.env.E2E_STALL_MS ?? 300_000);

/** The training state the progress line exposes in data attributes. */
export async function progressOf(
  page: Page,
): Promise<{ step: number; state: string; loss: number; backend: string; model: string; job: string }> {
  const el = page.getByTestId('progress');
  const [step, state, loss, backend, model, job] = await Promise.all(
    ['data-step', 'data-state', 'data-loss', 'data-backend', 'data-model', 'data-job'].map((a) => el.getAttribute(a)),
  );
  return {
    step: Number(step),
    state: state ?? '',
    loss: Number(loss),
    backend: backend ?? '',
    model: model ?? '',
    job: job ?? '',
  };
}

export interface ProgressWanted {
  minStep?: number;
  state?: string;
  backend?: string;
  model?: string;
  job?: string;
}

/**
 * Waits until the progress line shows at least `minStep` steps (and `state` / `backend` / `model` / `job` when
 * given). It waits as long as the app keeps moving: it fails only when the line has not changed for `stallMs`.
 */
export async function waitForProgress(page: Page, want: ProgressWanted, stallMs = STALL_MS): Promise<void> {
  let seen = '';
  for (;;) {
    const handle = await page
      .waitForFunction(
        ([w, last]) => {
          const el = document.querySelector('[data-testid="progress"]');
          const attr = (name: string) => el?.getAttribute(`data-${name}`) ?? '';
          const snapshot = ['step', 'state', 'backend', 'model', 'job'].map(attr).join('|');
          const met =
            el !== null &&
            Number(attr('step')) >= (w.minStep ?? 0) &&
            (['state', 'backend', 'model', 'job'] as const).every((k) => w[k] === undefined || attr(k) === w[k]);
          return met || snapshot !== last ? { met, snapshot } : false;
        },
        [want, seen] as const,
        { timeout: stallMs, polling: 100 },
      )
      .catch((error: Error) => {
        throw new Error(
          `no progress towards ${JSON.stringify(want)} for ${stallMs / 1000} s (last seen step|state|backend|model|job: ${seen}): ${error.message}`,
        );
      });
    const { met, snapshot } = (await handle.jsonValue()) as { met: boolean; snapshot: string };
    if (met) return;
    seen = snapshot;
  }
}

export async function setNumber(page: Page, label: string, value: number): Promise<void> {
  await page.getByLabel(label).fill(String(value));
}

/** Sets the lab to a 2-d VAE, `epochs` epochs, learning rate 0.002 (the e2e tests' small VAE). */
export async function configureVae(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('model').selectOption('vae');
  await setNumber(page, 'Latent size', 2);
  await setNumber(page, 'Epochs', epochs);
  await setNumber(page, 'Learning rate', 0.002);
}
