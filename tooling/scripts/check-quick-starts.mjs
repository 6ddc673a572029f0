#!/usr/bin/env node
// Every library package has a runnable example (`examples/quick-start.mjs`), and its README's quick start shows
// exactly that code, with the install line and the output it prints (see quick-start.mjs). Cheap: no install,
// no run; pack-test runs the code from the tarballs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUICK_START_FILE, readQuickStart } from './quick-start.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const failures = [];
let checked = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  // A library: something to import (an exports map), as opposed to a bin-only or data-only package.
  const library = pkg.exports?.['.']?.['@latentlab/source'] !== undefined && pkg.bin === undefined;
  try {
    const quickStart = readQuickStart(dir);
    if (quickStart === null) {
      if (library) failures.push(`${pkg.name}: expected a runnable example ${QUICK_START_FILE}, found none`);
      continue;
    }
    if (!quickStart.packages.includes(pkg.name)) {
      failures.push(`${pkg.name}: the quick start's install line does not install ${pkg.name}`);
    }
    checked++;
  } catch (err) {
    failures.push(err.message);
  }
}
if (failures.length > 0) {
  for (const f of failures) console.error(`check-quick-starts: ${f}`);
  process.exit(1);
}
console.log(`check-quick-starts: ${checked} README quick starts are their examples verbatim`);
