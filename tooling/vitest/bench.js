// Benchmarks run through vitest (so tfjs-core's ESM gradient registry loads as it does in tests and in
// bundlers), but never as part of the test suite: `pnpm bench` runs `vitest run --config vitest.bench.config.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sourceConditions } from './index.js';

/** A vitest config that runs `bench/**\/*.bench.ts` once each, in Node, one file at a time. */
export function benchConfig({ include = ['bench/**/*.bench.ts'], setupFiles = [], timeout = 30 * 60_000 } = {}) {
  return {
    ...sourceConditions,
    test: {
      include,
      setupFiles,
      environment: 'node',
      testTimeout: timeout,
      hookTimeout: timeout,
      fileParallelism: false,
      maxWorkers: 1,
    },
  };
}

/** One line describing this machine, printed beside every figure. */
export function machineDescription() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/**
 * Replaces (or appends) the section `## title` of a markdown file with `body`, stamped with the date,
 * the command that produced it and the machine.
 */
export function writeBenchmarkSection(file, title, command, body) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const section = `## ${title}\n\n_Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\` on ${machineDescription()}._\n\n${body.trim()}\n`;
  const start = text.indexOf(`## ${title}\n`);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (next < 0 ? '' : `\n${text.slice(next + 1)}`); // a blank line before the next ##
  }
  writeFileSync(file, `${text.trimEnd()}\n`);
}
