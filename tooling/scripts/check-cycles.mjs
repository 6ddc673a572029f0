#!/usr/bin/env node
// No import cycles: reads every TypeScript source of packages/*/src and apps/*/src with the TypeScript parser,
// resolves its imports the way the workspace does (relative `./x.js` → `x.ts`/`x.tsx`/`x/index.ts`, the package's
// `#subpath` imports and the sibling packages' `@latentlab/*` exports through their `@latentlab/source` condition),
// and looks for strongly connected components (Tarjan) in the graph of files. Every static import counts: imports
// and re-exports, `import type` included (a design dependency even when erased). A deferred `import('./x.js')`
// (evaluated when called, so it cannot break module initialisation) is allowed to point back up the graph: the one
// place a module may reach what depends on it (a model's `save` reaching the file format, which builds models);
// each deferred import that closes a loop is listed, so they stay visible and few. Tests (`*.test.ts`) are left
// out: a test may import anything it tests. Prints one line per cycle with a shortest path around it and exits 1
// when there is any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const isTest = (file) => /\.test\.tsx?$/.test(file);

/** Every package.json of the workspace that has a src folder, by package name. */
const packages = new Map();
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (statSync(join(dir, 'src')).isDirectory()) packages.set(manifest.name, { dir, manifest });
    } catch {
      // no package.json or no src (e.g. the Python package): not part of the TypeScript graph
    }
  }
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTest(entry.name)) out.push(path);
  }
  return out;
}

const exists = (file) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** `x.js` → `x.ts` / `x.tsx` / `x.mts`; a folder → its index; null if nothing matches. */
function resolveFile(base) {
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (/\.(ts|tsx|mts)$/.test(candidate) && exists(candidate)) return candidate;
  }
  return null;
}

/** The `@latentlab/source` target of an exports / imports entry. */
function sourceTarget(entry) {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') return entry['@latentlab/source'] ?? null;
  return null;
}

function owningPackage(file) {
  for (const pkg of packages.values()) if (file.startsWith(`${pkg.dir}/`)) return pkg;
  return null;
}

function resolveSpecifier(from, specifier) {
  if (specifier.startsWith('.')) return resolveFile(resolve(dirname(from), specifier));
  if (specifier.startsWith('#')) {
    const pkg = owningPackage(from);
    const target = sourceTarget(pkg?.manifest.imports?.[specifier]);
    return target ? resolveFile(resolve(pkg.dir, target)) : null;
  }
  const match = /^(@latentlab\/[^/]+)(\/.*)?$/.exec(specifier);
  const pkg = match && packages.get(match[1]);
  if (!pkg) return null; // a third-party package: outside the graph
  const target = sourceTarget(pkg.manifest.exports?.[`.${match[2] ?? ''}`]);
  return target ? resolveFile(resolve(pkg.dir, target)) : null;
}

/** The module specifiers a file imports: `static` (declarations, re-exports, `import('x').T` types), `deferred` (`import()`). */
function specifiers(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = { static: [], deferred: [] };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      found.static.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.deferred.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.static.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = [...packages.values()].flatMap((pkg) => walk(join(pkg.dir, 'src')));
const edges = new Map();
const deferred = [];
let edgeCount = 0;
for (const file of files) {
  const found = specifiers(file);
  const targets = new Set();
  for (const specifier of found.static) {
    const target = resolveSpecifier(file, specifier);
    if (target && !isTest(target)) targets.add(target);
  }
  for (const specifier of found.deferred) {
    const target = resolveSpecifier(file, specifier);
    if (target && !isTest(target)) deferred.push([file, target]);
  }
  edges.set(file, [...targets]);
  edgeCount += targets.size;
}

// Tarjan's strongly connected components (iterative, so a deep graph cannot overflow the stack).
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const components = [];
let counter = 0;
for (const start of files) {
  if (index.has(start)) continue;
  const work = [[start, 0]];
  index.set(start, counter);
  low.set(start, counter++);
  stack.push(start);
  onStack.add(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const [node, i] = frame;
    const next = (edges.get(node) ?? [])[i];
    if (next !== undefined) {
      frame[1]++;
      if (!index.has(next)) {
        index.set(next, counter);
        low.set(next, counter++);
        stack.push(next);
        onStack.add(next);
        work.push([next, 0]);
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
      continue;
    }
    work.pop();
    if (work.length > 0) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (edges.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
}

/** A shortest path of static imports from `from` to `to` (breadth-first), optionally inside `members`; or null. */
function shortestPath(from, to, members = null) {
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of edges.get(node) ?? []) {
      if (members && !members.has(next)) continue;
      if (next === to) {
        const path = [to];
        for (let at = node; at !== null; at = previous.get(at)) path.unshift(at);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

const name = (file) => relative(root, file);
let loops = 0;
for (const [from, to] of deferred) {
  const back = shortestPath(to, from);
  if (!back) continue;
  loops++;
  console.log(`check-cycles: deferred import closes a loop: ${name(from)} ⇢ ${back.map(name).join(' → ')}`);
}
if (components.length > 0) {
  for (const component of components) {
    const first = component.map(name).sort()[0];
    const start = component.find((file) => name(file) === first);
    const cycle = shortestPath(start, start, new Set(component)) ?? [start, start];
    console.error(`check-cycles: cycle of ${component.length} files: ${cycle.map(name).join(' → ')}`);
  }
  console.error(`check-cycles: ${components.length} import cycles among ${files.length} source files`);
  process.exit(1);
}
console.log(
  `check-cycles: no import cycles among ${files.length} source files (${edgeCount} static imports, ` +
    `${deferred.length} deferred, ${loops} of them pointing back)`,
);
