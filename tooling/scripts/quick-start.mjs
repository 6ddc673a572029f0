// A package's README quick start, read as a user reads it: the `## Quick start` section holds the install line
// (a ```sh block of `npm install …`), the code (a ```js block, identical to the package's
// `examples/quick-start.mjs`) and what it prints (the ```text block after "It prints"). Shared by
// check-quick-starts.mjs (the README and the example agree) and pack-test.mjs (the code runs from the tarballs
// and prints that).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The example file whose text the README's quick start must hold verbatim. */
export const QUICK_START_FILE = join('examples', 'quick-start.mjs');

/**
 * The quick start of the package in `pkgDir`, or `null` when it has no `examples/quick-start.mjs`.
 * Throws an Error naming the README and what is missing or different.
 */
export function readQuickStart(pkgDir) {
  const examplePath = join(pkgDir, QUICK_START_FILE);
  if (!existsSync(examplePath)) return null;
  const example = readFileSync(examplePath, 'utf8');
  const readmePath = join(pkgDir, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const section = readme.match(/^## Quick start\n([\s\S]*?)(?=^## |(?![\s\S]))/m)?.[1];
  if (section === undefined) throw new Error(`${readmePath}: expected a '## Quick start' section, found none`);
  const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));
  const install = blocks.find((b) => b.lang === 'sh');
  const code = blocks.find((b) => b.lang === 'js');
  const output = blocks.find((b) => b.lang === 'text');
  if (!install || !code || !output) {
    throw new Error(
      `${readmePath}: the quick start needs a \`\`\`sh install block, a \`\`\`js code block and a \`\`\`text output block, found ${blocks.map((b) => b.lang || '(none)').join(', ') || 'no blocks'}`,
    );
  }
  const packages = install.text
    .split('\n')
    .filter((line) => line.startsWith('npm install '))
    .flatMap((line) => line.replace(/#.*$/, '').trim().split(/\s+/).slice(2));
  if (packages.length === 0) throw new Error(`${readmePath}: the quick start's sh block has no 'npm install' line`);
  if (code.text !== example) {
    const a = code.text.split('\n');
    const b = example.split('\n');
    const line = a.findIndex((text, i) => text !== b[i]);
    throw new Error(
      `${readmePath}: the quick start's code differs from ${QUICK_START_FILE} at line ${line + 1}: expected ${JSON.stringify(b[line])}, found ${JSON.stringify(a[line])}`,
    );
  }
  return { packages, code: code.text, output: output.text };
}

/**
 * Does `actual` (a program's stdout) print what `expected` (the README's text block) says? Line by line;
 * `…` in the README stands for any text (digits that vary by machine, say).
 */
export function matchesOutput(expected, actual) {
  const want = expected.trimEnd().split('\n');
  const got = actual.trimEnd().split('\n');
  if (want.length !== got.length) return false;
  return want.every((line, i) => {
    const pattern = line
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`).test(got[i]);
  });
}
