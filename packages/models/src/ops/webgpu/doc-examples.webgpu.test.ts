// The `@example`s of the WebGPU kernels (this folder), extracted from the sources and run on the webgpu backend
// (`models:webgpu`); src/doc-examples.node.test.ts runs every other example of the package in Node. A browser has
// no file system to write modules to, so each example runs as an async function: its statements, with the
// package's exports (entries and internals), core's, this folder's modules' and tfjs-core as `tf` in scope (its
// own import lines name what it uses from them).
import * as core from '@latentlab/core';
import { examplesInText, IMPORT_LINE, settleExample } from '@latentlab/vitest-config/doc-example-blocks';
import * as tf from '@tensorflow/tfjs-core';
import { describe, test } from 'vitest';
import * as models from '../../index.js';
import * as internal from '../../internal.js';

declare global {
  // Vite's `import.meta.glob` (vite/client's types, which this package does not depend on), as used here.
  interface ImportMeta {
    glob<T>(patterns: string[], options: { query?: string; import?: string; eager: true }): Record<string, T>;
  }
}

const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true });
const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./*.test.ts'], { eager: true });
const folder: Record<string, unknown> = Object.assign({}, ...Object.values(modules));
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

for (const [file, text] of Object.entries(sources)) {
  const examples = examplesInText(text);
  if (examples.length === 0) continue;
  const scope: Record<string, unknown> = { ...core, ...models, ...internal, ...folder, ...modules[file], tf };
  describe(file.slice(2), () => {
    examples.forEach(({ name, code }, i) => {
      test(`${name} (example ${i + 1})`, async () => {
        const imported = [...code.matchAll(IMPORT_LINE)].flatMap(
          (m) => m[0].match(/\{([^}]*)\}/)?.[1]?.split(',') ?? [],
        );
        for (const n of imported.map((s) => s.trim().split(/\s+as\s+/)[0]!).filter(Boolean))
          if (!(n in scope)) throw new Error(`${file}: the example imports ${n}, which this test does not provide`);
        const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
        const run = new AsyncFunction(...names, code.replace(IMPORT_LINE, ''))(...names.map((n) => scope[n]));
        await settleExample(code, run);
      });
    });
  });
}
