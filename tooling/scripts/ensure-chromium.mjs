#!/usr/bin/env node
// Browser tests run in Debian's Chromium (WebGL2 through SwiftShader). Installs it when it is missing and we
// may (root with apt-get), otherwise says exactly what to do. Runs before `pnpm test`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt || process.env.CHROMIUM_PATH) {
  console.error(
    `Browser tests need Chromium at ${path}, and it is missing.\n` +
      `Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
  );
  process.exit(1);
}
console.log(`Chromium is missing at ${path}: installing Debian's chromium package (apt-get)...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
if (!existsSync(path)) {
  console.error(`apt-get installed chromium, but ${path} still does not exist.`);
  process.exit(1);
}
