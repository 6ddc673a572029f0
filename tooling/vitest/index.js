// Shared vitest projects: the same test files run on every backend
// (tfjs reruns its core suite per backend with `describeWithFlags`).
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// WebGPU through SwiftShader: Chromium exposes navigator.gpu (a software adapter) to http://localhost pages, which
// vitest's browser mode serves (WebGPU needs a secure context: not a data: URL).
export const webgpuChromiumArgs = [...chromiumArgs, '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

const SOURCE = '@latentlab/source';

export const sourceConditions = {
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
};

const setup = (name) => fileURLToPath(new URL(`./setup/${name}.ts`, import.meta.url));

// Pre-bundle tfjs in one pass, so register_all_gradients and the backends share one tfjs-core instance.
export const tfjsOptimizeDeps = {
  include: [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-core/dist/register_all_gradients',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgl',
    '@tensorflow/tfjs-backend-webgpu',
  ],
};

const BROWSER_BACKENDS = ['webgl', 'webgpu'];

const browser = (args = chromiumArgs) => ({
  enabled: true,
  headless: true,
  screenshotFailures: false,
  provider: playwright({
    launchOptions: { executablePath: chromiumPath, args },
  }),
  instances: [{ browser: 'chromium' }],
});

export function backendProjects({
  name,
  include = ['src/**/*.test.ts'],
  nodeOnly = ['src/**/*.node.test.ts'],
  // Tests of WebGPU-only code (custom kernels): run in the webgpu project only.
  webgpuOnly = ['src/**/*.webgpu.test.ts'],
  backends = ['cpu', 'wasm', 'webgl'],
  webgpu = {},
  // A last resort, not a budget: tests wait on their own work, and a loaded machine (CI runs two packages at once
  // beside other jobs) can be several times slower than an idle one.
  testTimeout = 300_000,
}) {
  const common = { ...sourceConditions };
  const browserInclude = include;
  if (backends === 'none') {
    return [
      { ...common, test: { name: `${name}:node`, include, environment: 'node', testTimeout } },
      {
        ...common,
        test: { name: `${name}:chromium`, include: browserInclude, exclude: nodeOnly, testTimeout, browser: browser() },
      },
    ];
  }
  return backends.map((backend) => {
    const inBrowser = BROWSER_BACKENDS.includes(backend);
    const test = {
      name: `${name}:${backend}`,
      include: inBrowser ? browserInclude : include,
      exclude: inBrowser ? [...nodeOnly, ...webgpuOnly] : webgpuOnly,
      setupFiles: [setup(backend)],
      testTimeout,
      env: { LATENTLAB_TEST_BACKEND: backend },
    };
    if (backend === 'webgpu') {
      // A package may run a part of its suite on webgpu (SwiftShader's WebGPU is slow on a CPU): `webgpu.include`
      // replaces the test globs, `webgpu.exclude` adds stated exclusions to the Node-only ones.
      test.include = [...(webgpu.include ?? browserInclude), ...webgpuOnly];
      test.exclude = [...nodeOnly, ...(webgpu.exclude ?? [])];
      test.testTimeout = webgpu.testTimeout ?? testTimeout;
    }
    if (inBrowser) {
      const args = backend === 'webgpu' ? webgpuChromiumArgs : chromiumArgs;
      return { ...common, optimizeDeps: tfjsOptimizeDeps, test: { ...test, browser: browser(args) } };
    }
    return { ...common, test: { ...test, environment: 'node' } };
  });
}

/** Root-level test options for a package's vitest config: its projects plus a JSON report the test summary reads. */
export function packageTestConfig(options) {
  return {
    projects: backendProjects(options),
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  };
}
