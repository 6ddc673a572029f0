// pack-test-with: @tensorflow/tfjs-backend-cpu
// Runs in a scratch project where @latentlab/models was installed from its packed tarball, with only its peer
// (@tensorflow/tfjs-core) and a backend: what a user who installs the package alone gets, in plain Node.
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import { ValueError } from '@latentlab/core';
import { NotFittedError, Pca, Vae } from '@latentlab/models';
import { trainInWorkers } from '@latentlab/models/node';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');
// Points on the line x = (t, 2t), each twice with a ± wobble along (−2, 1) (uncorrelated with t):
// PC1 ∝ (1, 2)/√5.
const n = 50;
const data = new Float32Array(2 * n);
for (let i = 0; i < n; i++) {
  const t = Math.floor(i / 2) / 25 - 0.5;
  const wobble = (i % 2 ? 1 : -1) * 0.01;
  data[2 * i] = t - 2 * wobble;
  data[2 * i + 1] = 2 * t + wobble;
}
const before = tf.memory().numTensors;
const pca = await new Pca({ nComponents: 1 }).fit({ data, shape: [n, 2] });
const [w0, w1] = pca.components.dataSync();
assert.ok(Math.abs(w0 - 1 / Math.sqrt(5)) < 1e-4 && Math.abs(w1 - 2 / Math.sqrt(5)) < 1e-4, `PC1 ${w0}, ${w1}`);
assert.ok(pca.explainedVarianceRatio[0] > 0.99 && pca.explainedVarianceRatio[0] < 1);
const xHat = pca.reconstruct({ data, shape: [n, 2] });
assert.deepEqual(xHat.shape, [n, 2]);
xHat.dispose();
pca.dispose();
assert.equal(tf.memory().numTensors, before);
assert.throws(() => pca.transform({ data, shape: [n, 2] }), NotFittedError);
assert.throws(() => new Pca({ varianceFraction: 2 }), ValueError);

// Training in plain Node: tfjs-core registers no gradients by itself and its ESM gradient files do not load in
// Node; the package's bundled `#register-gradients` must make this work with nothing else installed.
const rows = 64;
const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([rows, 16], 0, 1, 'float32', 3), 0.5), 'float32'));
const vae = new Vae({ inputShape: [16], latentDim: 2, hiddenUnits: [8], seed: 1 });
await vae.fit(x, { epochs: 20, batchSize: 16, seed: 1 });
const untrained = new Vae({ inputShape: [16], latentDim: 2, hiddenUnits: [8], seed: 1 });
const [after, initial] = await Promise.all([vae, untrained].map((m) => m.evaluate(x)));
assert.ok(after.loss < initial.loss, `VAE loss fell: ${initial.loss} → ${after.loss}`);
// The same training on two worker threads (the packed dist/parallel/worker.js, its own cpu backend per thread):
// the run of one thread, split.
const twin = new Vae({ inputShape: [16], latentDim: 2, hiddenUnits: [8], seed: 1 });
await trainInWorkers(twin, x, { epochs: 20, batchSize: 16, seed: 1, workers: 2 });
const [a, b] = [vae, twin].map((m) => m.getWeights());
for (const name of Object.keys(a)) {
  const [u, v] = [a[name].dataSync(), b[name].dataSync()];
  for (let i = 0; i < u.length; i++) assert.ok(Math.abs(u[i] - v[i]) < 1e-4, `${name}[${i}]: ${u[i]} vs ${v[i]}`);
}
tf.dispose([...Object.values(a), ...Object.values(b)]);
twin.dispose();
untrained.dispose();
vae.dispose();
x.dispose();
console.log('@latentlab/models from its tarball: ok');
