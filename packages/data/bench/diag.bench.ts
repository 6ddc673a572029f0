/**
 * The data pipeline's cost: (1) loading the MNIST train set from IDX in Node, (2) the batch pipeline's share
 * of a training step of the reference VAE (pytorch/examples vae/main.py: 784-400-20 MLP, ReLU, Bernoulli
 * decoder, batch 128, Adam 1e-3), measured against one pre-made batch reused, (3) the memory the train set
 * takes as a Dataset. Figures go to BENCHMARKS.md.
 */
import { fileURLToPath } from 'node:url';
import { writeBenchmarkSection } from '@latentlab/vitest-config/bench';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { type Batch, batches } from '../src/batches.js';
import { type Dataset, datasetFromImages } from '../src/dataset.js';
import { loadMnist } from '../src/node/mnist.js';

const COMMAND = 'npx vitest run --config vitest.bench.config.ts';
const FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const BATCH = 128;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The reference VAE, in plain tfjs-core ops; returns one Adam step on a [batch, 784] tensor. */
function referenceVae() {
  const glorot = (fanIn: number, fanOut: number) =>
    tf.variable(tf.randomUniform([fanIn, fanOut], -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut))));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const w = {
    w1: glorot(784, 400),
    b1: zeros(400),
    wMu: glorot(400, 20),
    bMu: zeros(20),
    wLv: glorot(400, 20),
    bLv: zeros(20),
    w3: glorot(20, 400),
    b3: zeros(400),
    w4: glorot(400, 784),
    b4: zeros(784),
  };
  const optimizer = tf.train.adam(1e-3);
  const loss = (x: tf.Tensor2D) => {
    const h = tf.relu(tf.add(tf.matMul(x, w.w1), w.b1)); // [batch, 400]
    const mu = tf.add(tf.matMul(h, w.wMu), w.bMu); // [batch, 20]
    const logVar = tf.add(tf.matMul(h, w.wLv), w.bLv); // [batch, 20]
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape))); // reparameterisation
    const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, w.w3), w.b3)), w.w4), w.b4); // [batch, 784]
    // Bernoulli decoder: BCE = max(l, 0) − l·x + log(1 + exp(−|l|)), summed; KL = −½ Σ (1 + logVar − μ² − σ²).
    const bce = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar))));
    return tf.div(tf.add(bce, kl), x.shape[0]) as tf.Scalar;
  };
  return {
    /** One training step; resolves when the loss is read back (so the step is really done). */
    async step(x: tf.Tensor2D): Promise<number> {
      const lossValue = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => loss(x));
        optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
        return value;
      });
      const v = (await lossValue.data())[0]!;
      lossValue.dispose();
      return v;
    },
    dispose() {
      tf.dispose(Object.values(w));
      optimizer.dispose();
    },
  };
}


test('diag', async () => {
  const train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const vae = referenceVae();
  const pre = [...batches(train, { batchSize: BATCH, seed: 5 })].slice(0, 8);
  const fixed = pre[0]!;
  const it = (function* () { for (let e = 0; ; e++) yield* batches(train, { batchSize: BATCH, seed: 3, epoch: e, dropLast: true }); })();
  for (let i = 0; i < 5; i++) await vae.step(fixed.x as tf.Tensor2D);
  const res: Record<string, number[]> = { pipeline: [], fixed: [], cycle: [], clone: [] };
  for (let block = 0; block < 3; block++) {
    for (const v of ['pipeline', 'fixed', 'cycle', 'clone']) {
      for (let s = 0; s < 10; s++) {
        const t0 = performance.now();
        if (v === 'pipeline') { const b = it.next().value as Batch; await vae.step(b.x as tf.Tensor2D); tf.dispose(b); }
        else if (v === 'fixed') await vae.step(fixed.x as tf.Tensor2D);
        else if (v === 'cycle') await vae.step(pre[s % 8]!.x as tf.Tensor2D);
        else { const c = tf.clone(fixed.x); await vae.step(c as tf.Tensor2D); c.dispose(); }
        res[v]!.push(performance.now() - t0);
      }
    }
  }
  for (const [k, v] of Object.entries(res)) console.log(k, median(v).toFixed(1), v.map((x) => x.toFixed(0)).join(' '));
});
