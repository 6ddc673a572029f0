import { chromiumArgs, chromiumPath, packageTestConfig, sourceConditions } from '@latentlab/vitest-config';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// The WebGPU kernels' tests (src/ops/webgpu/*.webgpu.test.ts) run only in `models:webgpu`: headless Chromium with
// SwiftShader's WebGPU adapter (a secure context: vitest's page is http://localhost).
const WEBGPU_TESTS = 'src/**/*.webgpu.test.ts';
const base = packageTestConfig({ name: 'models' });
const projects = base.projects.map((p) => ({
  ...p,
  test: { ...p.test, exclude: [...(p.test?.exclude ?? []), WEBGPU_TESTS] },
}));
const webgpu = {
  ...sourceConditions,
  // One pre-bundle pass, so the gradient registry and both backends share one tfjs-core instance.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  test: {
    name: 'models:webgpu',
    include: [WEBGPU_TESTS],
    setupFiles: ['./scripts/webgpu-test-setup.ts'],
    testTimeout: 300_000,
    env: { LATENTLAB_TEST_BACKEND: 'webgpu' },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath,
          args: [...chromiumArgs, '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
        },
      }),
      instances: [{ browser: 'chromium' as const }],
    },
  },
};

export default defineConfig({
  test: {
    ...base,
    projects: [...projects, webgpu],
    // trainInWorkers starts its workers from a bundle of the sources under test (no build needed, never stale).
    globalSetup: ['./scripts/bundle-worker.mjs'],
  },
});
