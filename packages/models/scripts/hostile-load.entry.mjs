// The child process of src/io/hostile-model-files.node.test.ts (bundled by it with rolldown, like
// node-fixture.entry.mjs): loads the model directory given as argv[2] through fileSystem() + loadModel on the cpu
// backend and prints one JSON line: how it ended (the error's name and message), the milliseconds the load took,
// the peak resident memory of the process (process.resourceUsage().maxRSS, KiB) and the tensors left alive.
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
result.maxRssKiB = process.resourceUsage().maxRSS;
result.leakedTensors = tf.memory().numTensors - before;
process.stdout.write(`${JSON.stringify(result)}\n`);
