// Training steps of the pytorch/examples VAE (784-400-20-400-784, ReLU, Bernoulli decoder, BCE summed over pixels
// + KL, Adam 1e-3) on whatever tfjs backend is current: written with plain tfjs ops and tf.train.adam (tfjs's own
// autodiff: the baseline of issue #16), and as Latentlab trains it (Vae.loss + createOptimizer's Adam, which take
// the WebGPU fast path of src/ops/webgpu on webgpu). Shared by the GPU bench (run.ts) and the webgpu kernel count.
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer } from '../../src/optimizers.js';
import { Vae } from '../../src/vae.js';

export const [IN, HIDDEN, LATENT] = [784, 400, 20];

/** One training step on a batch x [batch, 784]: returns the loss (the caller disposes it). */
export interface VaeStep {
  readonly name: string;
  step(x: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

/** The VAE in plain tfjs ops (matMul, add, relu, exp, log1p, ...) and `tf.train.adam`. */
export function plainVaeStep(seed = 1): VaeStep {
  const layer = (fanIn: number, fanOut: number, s: number) => {
    const a = 1 / Math.sqrt(fanIn); // PyTorch's nn.Linear initialisation
    return [
      tf.variable(tf.randomUniform([fanIn, fanOut], -a, a, 'float32', s)),
      tf.variable(tf.randomUniform([fanOut], -a, a, 'float32', s + 1)),
    ] as const;
  };
  const [w1, b1] = layer(IN, HIDDEN, seed);
  const [w21, b21] = layer(HIDDEN, LATENT, seed + 2);
  const [w22, b22] = layer(HIDDEN, LATENT, seed + 4);
  const [w3, b3] = layer(LATENT, HIDDEN, seed + 6);
  const [w4, b4] = layer(HIDDEN, IN, seed + 8);
  const vars = [w1, b1, w21, b21, w22, b22, w3, b3, w4, b4];
  const optimizer = tf.train.adam(1e-3);
  const affine = (h: tf.Tensor, w: tf.Variable, b: tf.Variable) =>
    tf.add(tf.matMul(h as tf.Tensor2D, w as tf.Tensor as tf.Tensor2D), b);
  const loss = (x: tf.Tensor2D): tf.Scalar => {
    const h1 = tf.relu(affine(x, w1, b1));
    const mu = affine(h1, w21, b21);
    const logVar = affine(h1, w22, b22);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape)));
    const logits = affine(tf.relu(affine(z, w3, b3)), w4, b4);
    // BCE with logits, summed: max(l, 0) − l·x + log(1 + exp(−|l|)).
    const bce = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar))));
    return tf.add(bce, kl) as tf.Scalar;
  };
  return {
    name: 'plain tfjs ops + tf.train.adam',
    step: (x) => optimizer.minimize(() => loss(x), true, vars) as tf.Scalar,
    dispose: () => {
      optimizer.dispose();
      tf.dispose(vars);
    },
  };
}

/** The VAE as Latentlab's trainer steps it: `Vae.loss` under `tf.variableGrads`, then the optimizer of `createOptimizer`. */
export function latentlabVaeStep(seed = 1): VaeStep {
  const vae = new Vae({ seed });
  const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
  let t = 0;
  return {
    name: 'Latentlab (Vae.loss + createOptimizer)',
    step: (x) => {
      const { value, grads } = tf.variableGrads(
        () => vae.loss(x, { step: t, training: true }).total,
        vae.trainableVariables as tf.Variable[],
      );
      optimizer.applyGradients(grads);
      tf.dispose(grads);
      t += 1;
      return value;
    },
    dispose: () => {
      optimizer.dispose();
      vae.dispose();
    },
  };
}

/** A batch of `rows` binary images (pixels 0/1 with probability ½), as the binarised MNIST the example trains on. */
export function randomBatch(rows: number, seed = 7): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([rows, IN], 0, 1, 'float32', seed), 0.5), 'float32'),
  ) as tf.Tensor2D;
}

/** What one training step runs: tfjs kernels (tf.profile's list) and GPU dispatches. */
export interface StepCount {
  /** Every kernel tf.profile lists, including those that dispatch nothing (Reshape, Identity, op wrappers). */
  kernels: string[];
  /** GPU compute dispatches on webgpu: programs run through the backend, plus one per `LatentlabAdam` (-1 elsewhere). */
  dispatches: number;
}

/** Kernels and dispatches of one step of `make()` (tf.profile), after one warm-up step (Adam creates its state). */
export async function kernelsPerStep(make: () => VaeStep, rows = 128): Promise<StepCount> {
  const s = make();
  const x = randomBatch(rows);
  tf.dispose(s.step(x));
  const backend = tf.backend() as unknown as { runWebGPUProgram?: (...args: unknown[]) => unknown };
  const run = backend.runWebGPUProgram;
  let programs = 0;
  if (run) {
    backend.runWebGPUProgram = (...args: unknown[]) => {
      programs += 1;
      return run.apply(backend, args);
    };
  }
  try {
    const info = await tf.profile(() => s.step(x));
    await (info.result as tf.Tensor).data();
    tf.dispose(info.result as tf.Tensor);
    const kernels = info.kernels.map((k) => k.name);
    return { kernels, dispatches: run ? programs + kernels.filter((n) => n === 'LatentlabAdam').length : -1 };
  } finally {
    if (run) backend.runWebGPUProgram = run;
    x.dispose();
    s.dispose();
  }
}

/** Samples per second over `steps` steps (after `warmup`), the loss read back (async) after every step, as training does. */
export async function samplesPerSecond(make: () => VaeStep, rows: number, steps: number, warmup = 3): Promise<number> {
  const s = make();
  const x = randomBatch(rows);
  for (let i = 0; i < warmup; i++) {
    const loss = s.step(x);
    await loss.data();
    loss.dispose();
  }
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const loss = s.step(x);
    await loss.data();
    loss.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  x.dispose();
  s.dispose();
  return (rows * steps) / seconds;
}
