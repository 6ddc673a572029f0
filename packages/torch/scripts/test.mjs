#!/usr/bin/env node
// Runs the package's pytest suite for the monorepo's `test` task and leaves `.vitest-report.json` (the counts
// tooling/scripts/test-summary.mjs adds up). The interpreter: $LATENTLAB_PYTHON, else /usr/bin/python3 or python3,
// the first that imports torch, numpy, pytest and scikit-learn; where none does, it says so and fails.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dirname, '..');
const reportFile = join(pkg, '.vitest-report.json');
const candidates = process.env.LATENTLAB_PYTHON ? [process.env.LATENTLAB_PYTHON] : ['/usr/bin/python3', 'python3'];

function fail(message) {
  console.error(`@latentlab/torch: ${message}`);
  const report = { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0, success: false };
  writeFileSync(reportFile, JSON.stringify(report));
  process.exit(1);
}

rmSync(reportFile, { force: true });
const python = candidates.find(
  (py) => spawnSync(py, ['-c', 'import torch, numpy, pytest, sklearn'], { stdio: 'ignore' }).status === 0,
);
if (!python) {
  fail(
    `PyTorch (with numpy, pytest, scikit-learn) is not installed: none of ${candidates.join(', ')} imports torch, numpy, pytest and sklearn. ` +
      'Install Debian/Ubuntu python3-torch python3-numpy python3-pytest python3-sklearn (or `pip install torch ' +
      'numpy pytest scikit-learn`), or set LATENTLAB_PYTHON to an interpreter that has them.',
  );
}
const run = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests', ...process.argv.slice(2)], {
  cwd: pkg,
  stdio: 'inherit',
  env: { ...process.env, LATENTLAB_TORCH_REPORT: '1', PYTHONDONTWRITEBYTECODE: '1' },
});
if (!existsSync(reportFile)) fail(`pytest ended (status ${run.status}) without a report`);
process.exit(run.status ?? 1);
