#!/usr/bin/env node
// The `latentlab` bin, committed so that `pnpm install` links it in a fresh clone before anything is built: it
// starts the built entry (dist/cli.js) and, when that is missing (a clone not built yet), says how to build it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "latentlab: not built yet (dist/cli.js is missing): run 'pnpm --filter @latentlab/cli... build' in the repository\n",
  );
  process.exit(1);
}
await import(entry.href);
