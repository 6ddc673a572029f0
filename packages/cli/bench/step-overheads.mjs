// Where the time of one `latentlab train` step goes besides the model's kernels, measured in this process on the
// wasm backend with the reference VAE (784-400-20, batch 128) on MNIST rows: the step as `fit` runs it (wall and
// CPU time), the same with the CLI's callbacks (progress bar off a terminal, a checkpoint at the epoch's end), and
// in isolation the per-step extras of the trainer: the NaN guard's copies (clone of the 10 variables), the loss
// read-back (stack + data of 3 scalars), and one checkpoint (saveModel with the optimizer and trainer state); and the
// step with tfjs-backend-wasm's copying Identity beside the sharing one the runtime installs (core's wasm-identity.ts).
// Usage: node bench/step-overheads.mjs  → one JSON line (ms).
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_OPTIMIZER_CONFIG, saveModel } from '@latentlab/models';
import { fileSystem } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { referenceStep } from './reference-step.mjs';

const { data, vae, optimizer, steps } = await referenceStep();
const dir = mkdtempSync(path.join(os.tmpdir(), 'latentlab-overheads-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const timeReps = async (reps, fn) => {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
};

const save = (training) =>
  saveModel(vae, fileSystem(dir), {
    optimizer,
    optimizerConfig: DEFAULT_OPTIMIZER_CONFIG,
    ...(training ? { training } : {}),
  });
/** ms per step of epochs 2..4 of `fit` (epoch 1 warms up), with or without the CLI's callbacks. */
const fitStep = async (callbacks) => {
  const options = {
    epochs: 4,
    batchSize: 128,
    optimizer,
    ...(callbacks
      ? {
          onBatchEnd: () => {},
          onEpochEnd: (_log, state) => save(state),
        }
      : {}),
  };
  const { history } = await vae.fit(data, options);
  return median(history.slice(1).map((h) => (h.seconds * 1000) / steps));
};
const plain = await fitStep(false);
// Side by side, 5 rounds each in turn: the step with Identity sharing its input (core's shareWasmIdentity, which
// useBackend applies) and with tfjs-backend-wasm's own Identity, which copies (re-implemented here as it is).
const shared = tf.getKernel('Identity', 'wasm');
const copying = {
  ...shared,
  kernelFunc: ({ inputs: { x }, backend }) => {
    const out = backend.makeOutput(x.shape, x.dtype);
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
    return out;
  },
};
const useIdentity = (config) => {
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(config);
};
const identityRounds = { shared: [], copying: [] };
for (let round = 0; round < 5; round++) {
  for (const [name, config] of [
    ['copying', copying],
    ['shared', shared],
  ]) {
    useIdentity(config);
    identityRounds[name].push(await fitStep(false));
  }
}
// The CPU time of a step (this process; tfjs-wasm computes on its one thread): what load on the machine does not
// inflate, unlike the wall time, for comparing with PyTorch's per-step CPU time (vae_torch_epoch.py's cpuSeconds).
const cpu0 = process.cpuUsage();
await vae.fit(data, { epochs: 2, batchSize: 128, optimizer });
const { user, system } = process.cpuUsage(cpu0);
const cpuStep = (user + system) / 1000 / (2 * steps);
const withCallbacks = await fitStep(true);
const vars = vae.trainableVariables;
const guard = await timeReps(200, () => tf.dispose(vars.map((v) => tf.keep(tf.clone(v)))));
const s = [tf.scalar(1), tf.scalar(2), tf.scalar(3)];
const readBack = await timeReps(200, async () => {
  const packed = tf.stack(s);
  await packed.data();
  packed.dispose();
});
const checkpoint = await timeReps(3, () => save(null));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ stepMs: plain, identityRounds, stepCpuMs: cpuStep, stepWithCliCallbacksMs: withCallbacks, nanGuardMs: guard, readBackMs: readBack, checkpointMs: checkpoint, stepsPerEpoch: steps })}\n`,
);
