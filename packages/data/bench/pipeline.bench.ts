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

test('data pipeline: MNIST load, batch share of a VAE step, memory', async () => {
  const lines: string[] = [];

  // (3) memory, measured on the first load (nothing else of MNIST is alive yet).
  const before = process.memoryUsage();
  const first = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
  const after = process.memoryUsage();
  const arrayBufferDelta = after.arrayBuffers - before.arrayBuffers;
  const heapDelta = after.heapUsed - before.heapUsed;
  const held = first.x.buffer.byteLength + (first.labels?.buffer.byteLength ?? 0);

  // (1) load time: median of 5 loads (each builds the Dataset view too).
  const loadTimes: number[] = [];
  let train: Dataset = first;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    train = datasetFromImages(await loadMnist({ split: 'train' }), 'mnist-train');
    loadTimes.push(performance.now() - t0);
  }
  expect(train.shape).toEqual([60_000, 28, 28]);

  // Pipeline alone: one full epoch of batches of 128 (make, upload, dispose), and its per-batch median.
  const perBatch: number[] = [];
  const tEpoch = performance.now();
  for (const b of timed(batches(train, { batchSize: BATCH, seed: 1, epoch: 0 }), perBatch)) tf.dispose(b);
  const epochMs = performance.now() - tEpoch;

  // (2) VAE steps, with pipeline batches vs one pre-made batch, interleaved in blocks so drift hits both alike.
  const vae = referenceVae();
  const fixed = batches(train, { batchSize: BATCH, seed: 2 }).next().value as Batch;
  fixed.labels?.dispose();
  const stream = (function* () {
    for (let epoch = 0; ; epoch++) yield* batches(train, { batchSize: BATCH, seed: 3, epoch, dropLast: true });
  })();
  const withPipeline: number[] = [];
  const withFixed: number[] = [];
  for (let i = 0; i < 10; i++) await vae.step(fixed.x as tf.Tensor2D); // warm-up (creates Adam's moments)
  const tensorsBefore = tf.memory().numTensors;
  // Steps alternate one by one (ABBA order) so that load from other processes hits both variants alike.
  const PAIRS = 120;
  const pipelineStep = async () => {
    const t0 = performance.now();
    const b = stream.next().value as Batch;
    await vae.step(b.x as tf.Tensor2D);
    tf.dispose(b);
    withPipeline.push(performance.now() - t0);
  };
  const fixedStep = async () => {
    const t0 = performance.now();
    await vae.step(fixed.x as tf.Tensor2D);
    withFixed.push(performance.now() - t0);
  };
  for (let pair = 0; pair < PAIRS; pair++) {
    if (pair % 2 === 0) {
      await pipelineStep();
      await fixedStep();
    } else {
      await fixedStep();
      await pipelineStep();
    }
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore); // no leak per step
  tf.dispose(fixed);
  vae.dispose();

  const stepPipeline = median(withPipeline);
  const stepFixed = median(withFixed);
  // Median of the paired differences: robust to load that lasts longer than a pair of steps.
  const overhead = median(withPipeline.map((t, i) => t - withFixed[i]!)) / stepFixed;
  const batchShare = median(perBatch) / stepFixed;

  lines.push(
    '| what | figure |',
    '| --- | --- |',
    `| MNIST train load from IDX (\`loadMnist\`, 60 000 × 28 × 28, median of 5) | ${ms(median(loadTimes))} (runs: ${loadTimes.map((t) => t.toFixed(0)).join(', ')} ms) |`,
    `| MNIST train as a Dataset: bytes held (pixels + labels ArrayBuffers) | ${mb(held)} |`,
    `| … \`process.memoryUsage()\` deltas over the first load: arrayBuffers / heapUsed | ${mb(arrayBufferDelta)} / ${mb(heapDelta)} |`,
    `| one epoch of batches of ${BATCH} (469 batches: gather, /255, upload, dispose) | ${ms(epochMs)} |`,
    `| one batch of ${BATCH} (median) | ${ms(median(perBatch))} |`,
    `| reference VAE step, batch from the pipeline (median of ${withPipeline.length}) | ${ms(stepPipeline)} |`,
    `| reference VAE step, one pre-made batch reused (median of ${withFixed.length}) | ${ms(stepFixed)} |`,
    `| pipeline overhead per step: median paired difference ÷ step / batch median ÷ step | ${(100 * overhead).toFixed(1)} % / ${(100 * batchShare).toFixed(1)} % (floor: < 5 %) |`,
  );
  const body = [
    `Backend: ${tf.getBackend()} (tfjs ${tf.version_core}). The VAE is pytorch/examples vae/main.py's 784-400-20 MLP with a Bernoulli decoder, Adam 1e-3, batch ${BATCH}, written inline with tfjs-core ops; each step reads its loss back. Pipeline steps and fixed-batch steps alternate one by one (${PAIRS} pairs, ABBA order); the machine is shared, so single steps vary, and medians are reported.`,
    '',
    ...lines,
  ].join('\n');
  writeBenchmarkSection(FILE, 'Data pipeline (MNIST)', COMMAND, body);
  console.log(body);

  expect(held).toBeLessThan(60e6);
  expect(arrayBufferDelta).toBeLessThan(60e6);
  expect(batchShare).toBeLessThan(0.05);
  expect(overhead).toBeLessThan(0.05);
});

/** Passes the items of `it` through, recording the time each took to produce. */
function* timed<T>(it: Iterator<T>, times: number[]): Generator<T> {
  for (;;) {
    const t0 = performance.now();
    const r = it.next();
    if (r.done) return;
    times.push(performance.now() - t0);
    yield r.value;
  }
}
