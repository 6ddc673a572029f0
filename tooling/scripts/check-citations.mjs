#!/usr/bin/env node
// Every `docs/math.md §n` (or `§n–m`, `§n, §m`) cited in the repository's tracked files must name a section of
// docs/math.md, so the code's citations resolve for anyone who clones it. Prints each dangling citation and exits 1.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const math = readFileSync(join(root, 'docs/math.md'), 'utf8');
const sections = new Set([...math.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
const files = execFileSync('git', ['grep', '-l', 'docs/math.md §', '--', ':!docs/math.md'], { cwd: root })
  .toString()
  .split('\n')
  .filter(Boolean);
let cited = 0;
const dangling = [];
for (const file of files) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/docs\/math\.md (§\d+(?:\s*[–-]\s*\d+)?(?:,\s*§\d+)*)/g)) {
      for (const n of m[1].match(/\d+/g)) {
        cited += 1;
        if (!sections.has(n)) dangling.push(`${file}:${i + 1}: docs/math.md §${n} (no such section)`);
      }
    }
  });
}
if (dangling.length > 0) {
  console.error(dangling.join('\n'));
  process.exit(1);
}
console.log(`check-citations: ${cited} citations of docs/math.md in ${files.length} files resolve`);
