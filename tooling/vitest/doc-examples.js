// Doc-comment `@example` blocks as tests: each block is extracted from the sources (never retyped), written to a
// module under the package's `.cache/doc-examples/`, and imported by a vitest test on the project's backend, so
// the documentation cannot drift from the code. An import of the package itself (`'@latentlab/models'`,
// `'@latentlab/models/node'`) is pointed at the source file its `exports` map names for that subpath; sibling
// packages resolve to their sources through the `@latentlab/source` condition as in every test.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { examplesInText, IMPORT_LINE, settleExample } from './doc-example-blocks.js';

const SOURCE = '@latentlab/source';

/** Every `.ts` file under `dir` that is not a test, a declaration or a fixture. */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['fixtures', 'test-support', 'node_modules'].includes(entry.name)) out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !/\.(test|bench|d)\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * The `@example` blocks of the doc comments in `file`: `{ name, code, member }` per block, the code with the
 * comment's `*` margin removed and any Markdown fence stripped.
 */
export function examplesIn(file) {
  return examplesInText(readFileSync(file, 'utf8'));
}

/** `[specifier, source file]` for each subpath of the package's exports map that has a source condition. */
function selfImports(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  return Object.entries(pkg.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target[SOURCE])
    .map(([sub, target]) => [sub === '.' ? pkg.name : `${pkg.name}${sub.slice(1)}`, resolve(pkgDir, target[SOURCE])]);
}

const scopes = new Map();

/** The value exports of each entry of the package: the names an example may use without importing them. */
async function packageScope(self) {
  const key = self.map(([specifier]) => specifier).join();
  if (!scopes.has(key)) {
    const scope = new Map();
    for (const [, target] of self) {
      for (const name of Object.keys(await import(/* @vite-ignore */ target)))
        if (name !== 'default' && !scope.has(name)) scope.set(name, target);
    }
    scopes.set(key, scope);
  }
  return scopes.get(key);
}

/**
 * The module that runs one example, doctest-style: the example's own imports first (the package's specifiers
 * pointed at its sources), then the package's exports and tfjs-core as `tf` for the names the example uses
 * without importing them, then the example's statements in a block of their own (so its declarations may
 * shadow an export's name).
 */
async function exampleModule(rel, name, code, self, cache, own = new Map(), file = null) {
  const specifierOf = (target) => {
    const path = relative(cache, target).replace(/\\/g, '/');
    return path.startsWith('.') ? path : `./${path}`;
  };
  const imports = [];
  const body = code.replace(IMPORT_LINE, (line) => {
    let statement = line;
    // A relative import (an internal helper's example, written as in its file) is resolved from that file.
    if (file)
      statement = statement.replace(/'(\.\.?\/[^']+)'/, (_, spec) => {
        const target = resolve(dirname(file), spec);
        return `'${specifierOf(target.endsWith('.js') && existsSync(target.replace(/\.js$/, '.ts')) ? target.replace(/\.js$/, '.ts') : target)}'`;
      });
    for (const [specifier, target] of self)
      statement = statement.replaceAll(`'${specifier}'`, `'${specifierOf(target)}'`);
    imports.push(statement);
    return '';
  });
  const imported = new Set(
    imports.flatMap((line) => [
      ...(line
        .match(/\{([^}]*)\}/)?.[1]
        .split(',')
        .map((n) =>
          n
            .replace(/\btype\b/, '')
            .split(/\s+as\s+/)
            .pop()
            .trim(),
        ) ?? []),
      ...(line.match(/import\s+\*\s+as\s+(\w+)/)?.slice(1) ?? []),
      ...(line.match(/import\s+(\w+)\s+from/)?.slice(1) ?? []),
    ]),
  );
  const byTarget = new Map();
  // The package's entries first; a file's own exports (with `internal`) for the names they do not export.
  const scope = new Map([...own, ...(await packageScope(self))]);
  for (const [exported, target] of scope) {
    if (imported.has(exported) || !new RegExp(`\\b${exported.replace(/\$/g, '\\$')}\\b`).test(body)) continue;
    byTarget.set(target, [...(byTarget.get(target) ?? []), exported]);
  }
  const prelude = [...byTarget].map(
    ([target, names]) => `import { ${names.join(', ')} } from '${specifierOf(target)}';`,
  );
  if (!imported.has('tf') && /\btf\./.test(body)) prelude.push(`import * as tf from '@tensorflow/tfjs-core';`);
  return `// ${rel}: @example of ${name}\n${[...imports, ...prelude].join('\n')}\n{\n${body.trim()}\n}\nexport {};\n`;
}

/** Whether `rel` (a path under `src/`, `/`-separated) is in one of the `dirs` (`'ops/webgpu'`, `'ops/webgpu/'`). */
const inDirs = (rel, dirs) => dirs.some((dir) => `${rel}/`.startsWith(`${dir.replace(/\/+$/, '')}/`));

/**
 * Registers one vitest test per `@example` block of the package whose test file is `testFileUrl`
 * (`import.meta.url` of `src/doc-examples.node.test.ts`). Each example runs in a fresh temporary working
 * directory (examples that save files write there). Options (all optional; the defaults run every example of
 * what the package exports):
 * - `internal: true` also runs the examples of declarations the package's entries do not export (internal
 *   helpers), with the names their own file exports in scope as well and relative imports (`'./moments.js'`)
 *   resolved from that file;
 * - `exclude: ['ops/webgpu']` skips the files under these directories of `src/` (e.g. code that needs a backend
 *   the project does not have: run those examples from a test of a project that has it).
 */
export async function docExampleTests(testFileUrl, { describe, test, beforeAll, afterAll }, options = {}) {
  const { internal = false, exclude = [] } = options;
  const srcDir = dirname(fileURLToPath(testFileUrl));
  const pkgDir = dirname(srcDir);
  const cache = join(pkgDir, '.cache', 'doc-examples');
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const self = selfImports(pkgDir).sort((a, b) => b[0].length - a[0].length);
  const cwd = process.cwd();
  let scratch;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'doc-examples-'));
    process.chdir(scratch);
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(scratch, { recursive: true, force: true });
  });
  for (const file of sourceFiles(srcDir)) {
    const rel = relative(srcDir, file);
    if (inDirs(rel.replace(/\\/g, '/'), exclude)) continue;
    // The examples of what the package exports (a top-level declaration its entries export, a member, the module),
    // and with `internal` those of what the file itself exports.
    const scope = await packageScope(self);
    const candidates = examplesIn(file);
    if (candidates.length === 0) continue;
    const own = new Map();
    if (internal)
      for (const name of Object.keys(await import(/* @vite-ignore */ file)))
        if (name !== 'default') own.set(name, file);
    const examples = candidates.filter((e) => e.member || e.name === 'module' || scope.has(e.name) || own.has(e.name));
    if (examples.length === 0) continue;
    describe(rel, () => {
      examples.forEach(({ name, code }, i) => {
        const module = join(cache, `${rel.replace(/[/.]/g, '_')}--${name.replace(/\W/g, '_')}-${i}.ts`);
        test(`${name} (example ${i + 1})`, async () => {
          writeFileSync(module, await exampleModule(rel, name, code, self, cache, own, internal ? file : null));
          await settleExample(code, import(/* @vite-ignore */ module));
        });
      });
    });
  }
}
