import type { TestProjectInlineConfiguration } from 'vitest/config';

export type TestBackend = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

export interface BackendProjectsOptions {
  /** Package name, used as a prefix of every project name (`core:cpu`). */
  name: string;
  /** Test globs; defaults to `src/**\/*.test.ts`. */
  include?: string[];
  /** Globs that only run in Node (for example file-system tests). */
  nodeOnly?: string[];
  /** Globs that only run in the `webgpu` project (tests of WebGPU kernels); defaults to `src/**\/*.webgpu.test.ts`. */
  webgpuOnly?: string[];
  /**
   * Backends to run the suite on; defaults to cpu, wasm and webgl (`webgpu` is opted into per package: core, data,
   * models). `none` runs once in Node and once in Chromium without tfjs.
   */
  backends?: Array<TestBackend> | 'none';
  /** What the `webgpu` project runs, when it differs from the other backends. */
  webgpu?: WebgpuProjectOptions;
  /** Test timeout in ms (default 300 000: a last resort on a loaded machine, not a budget). */
  testTimeout?: number;
}

/** The part of a package's suite that its `webgpu` project runs (SwiftShader's WebGPU is slow on a CPU). */
export interface WebgpuProjectOptions {
  /** Test globs of the webgpu project besides `webgpuOnly`; defaults to the package's `include`. */
  include?: string[];
  /** Globs left out on webgpu besides the Node-only ones; write the reason beside them. */
  exclude?: string[];
  /** Test timeout in ms of the webgpu project; defaults to the package's `testTimeout`. */
  testTimeout?: number;
}

/** Chromium launch flags that give WebGL2 with float32 through SwiftShader in headless mode. */
export declare const chromiumArgs: string[];
/** {@link chromiumArgs} plus the flags that expose WebGPU through SwiftShader (`navigator.gpu` on http://localhost). */
export declare const webgpuChromiumArgs: string[];
/** Path of the Chromium binary (Debian's `chromium`, or `CHROMIUM_PATH`). */
export declare const chromiumPath: string;
/** Resolve conditions that point sibling workspace packages at their `src/`. */
export declare const sourceConditions: { resolve: object; ssr: object };
/** One vitest project per backend: cpu and wasm in Node, webgl and webgpu in headless Chromium. */
export declare function backendProjects(options: BackendProjectsOptions): TestProjectInlineConfiguration[];
/** Root-level test options for a package's vitest config: its projects plus a JSON report for the test summary. */
export declare function packageTestConfig(options: BackendProjectsOptions): {
  projects: TestProjectInlineConfiguration[];
  reporters: string[];
  outputFile: { json: string };
};
