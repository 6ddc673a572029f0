// Module hooks that let a plain `node` child process import this workspace's TypeScript sources. The hostile-file
// tests use it to run each case in a child process whose peak memory they measure. `.js` specifiers that name a
// `.ts` file resolve to it; `.ts` files are transpiled by TypeScript's `transpileModule` (types erased, nothing
// checked). With LATENTLAB_TS_CACHE set to a folder, transpiled files are kept there, so that only the first
// child pays for loading TypeScript (≈ 100 MB, seconds) and later children measure the code under test alone.
//
//   node --conditions=@latentlab/source --import ./test/ts-loader.mjs child.ts
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (!globalThis.__latentlabTsLoader) {
  globalThis.__latentlabTsLoader = true;
  register(import.meta.url);
}

const cache = process.env.LATENTLAB_TS_CACHE;
let ts;

export async function resolve(specifier, context, next) {
  if (/^(\.|file:)/.test(specifier) && specifier.endsWith('.js') && context.parentURL) {
    const source = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(source))) return { url: source.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const { mtimeMs, size } = statSync(file);
  const key = cache && join(cache, `${createHash('sha256').update(`${file}:${mtimeMs}:${size}`).digest('hex')}.js`);
  if (key && existsSync(key)) return { format: 'module', source: readFileSync(key, 'utf8'), shortCircuit: true };
  ts ??= (await import('typescript')).default;
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  if (key) {
    mkdirSync(cache, { recursive: true });
    const temporary = `${key}.${process.pid}.tmp`;
    writeFileSync(temporary, outputText);
    renameSync(temporary, key);
  }
  return { format: 'module', source: outputText, shortCircuit: true };
}
