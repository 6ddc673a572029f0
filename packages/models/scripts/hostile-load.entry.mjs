// The child process of src/io/hostile-model-files.node.test.ts (bundled by it with rolldown, like
// node-fixture.entry.mjs): loads the model directory given as argv[2] through fileSystem() + loadModel on the cpu
// backend and prints one JSON line: how it ended (the error's name and message), the milliseconds the load took,
// the peak resident memory of the process (KiB) and the tensors left alive. The peak is VmHWM of
// /proc/self/status where there is one (Linux): `process.resourceUsage().maxRSS` there also counts the parent's
// peak before the fork (getrusage's maxrss survives execve), which is the test runner's, not ours.
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { fileSystem } from '../src/io/file-system.ts';
import { loadModel } from '../src/io/save-load.ts';

await tf.setBackend('cpu');
const before = tf.memory().numTensors;
const start = performance.now();
let result;
try {
  const loaded = await loadModel(fileSystem(process.argv[2]));
  loaded.model.dispose();
  loaded.optimizer?.dispose();
  result = { ok: true };
} catch (error) {
  result = { ok: false, name: error?.name, message: String(error?.message ?? error) };
}
result.ms = performance.now() - start;
// The test's control: touch this many MiB, so that it can check the meter sees an allocation.
const ballast = Buffer.alloc(Number(process.env.LATENTLAB_TEST_BALLAST_MIB ?? 0) * 2 ** 20, 1);
result.maxRssKiB = peakRssKiB();
result.leakedTensors = tf.memory().numTensors - before;
result.ballastBytes = ballast.length;
process.stdout.write(`${JSON.stringify(result)}\n`);

function peakRssKiB() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // No procfs (macOS, Windows): getrusage's peak, an upper bound.
  }
  return process.resourceUsage().maxRSS;
}
