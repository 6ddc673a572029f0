/// <reference types="node" />
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, LatentlabError } from '@latentlab/core';
import type { Dataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { Autoencoder } from '../autoencoder.js';
import { evaluateLatentModel, pcaMetrics } from '../evaluation/evaluate.js';
import { fileSystem } from '../io/file-system.js';
import { loadModel, type SavableModel, saveModel } from '../io/save-load.js';
import { createOptimizer, type OptimizerConfig } from '../optimizers.js';
import { trainInWorkers } from '../parallel/train-in-workers.js';
import { Pca } from '../pca/pca.js';
import type { BatchLog, EpochLog, LossSummary, TrainState } from '../trainer.js';
import { Vae } from '../vae.js';
import { loadDataset } from './data.js';
import { ProgressBar } from './progress.js';
import { choiceFlag, intFlag, numberFlag, UsageError } from './usage.js';

/** Where the CLI writes (injectable for tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bar redrawn in place) or not (one line per epoch). */
  isTTY: boolean;
}

/** What `train` records beside the checkpoint, so `eval`, `sample` and `--resume` know the run. */
interface RunInfo {
  model: 'vae' | 'ae' | 'linear-ae' | 'pca';
  dataset: string;
  limit: number | null;
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
}

const MODELS = ['vae', 'ae', 'linear-ae', 'pca'] as const;
const BACKENDS = ['cpu', 'wasm'] as const;

const USAGE: Record<string, string> = {
  main: `Usage: latentlab <command> [options]

Commands:
  train    train a model and checkpoint it every epoch
  eval     evaluate a trained run (metrics JSON on stdout and in <run>/metrics.json)
  sample   decode samples of a trained VAE
  report   write an HTML report with PNG plots of a trained run (needs @latentlab/viz)
  bench    measure training throughput (samples/s)

Run 'latentlab <command> --help' for the options of a command.`,
  train: `Usage: latentlab train --out <dir> [options]

  --model <vae|ae|linear-ae|pca>  model to train (default vae)
  --dataset <mnist|fashion-mnist|file.csv>  training data (default mnist)
  --latent <n>        latent dimension / PCA components (default 20)
  --hidden <n,n,...>  hidden layer widths (default 400; ignored by linear-ae and pca)
  --epochs <n>        total epochs (default 10)
  --batch-size <n>    examples per step (default 128)
  --lr <x>            Adam learning rate (default 1e-3)
  --beta <x>          VAE: weight of the KL term (default 1)
  --seed <n>          seed of the weights, the shuffle and the noise (default 0)
  --limit <n>         use only the first n training examples
  --backend <cpu|wasm>  TensorFlow.js backend (default wasm)
  --workers <n>       VAE/AE: train on n worker threads, each computing a share of every batch (default 1)
  --resume            continue the run in --out from its last checkpoint (end of the last finished epoch)
  --out <dir>         run directory: model.json, weights, run.json`,
  eval: `Usage: latentlab eval <run-dir> [options]

  --iwae <K>          VAE: importance-weighted NLL with K samples (default 0: skip)
  --limit <n>         evaluate the first n test examples only
  --batch-size <n>    examples per batch (default 500)
  --seed <n>          seed of the IWAE samples (default 0)
  --backend <cpu|wasm>  TensorFlow.js backend (default wasm)`,
  sample: `Usage: latentlab sample <run-dir> [options]

  -n <count>          number of samples (default 64)
  --out <file>        .png (a grid, needs @latentlab/viz) or .json (default samples.json)
  --seed <n>          seed of z ~ N(0, I) (default 0)
  --backend <cpu|wasm>  TensorFlow.js backend (default wasm)`,
  report: `Usage: latentlab report <run-dir> --out <dir> [options]

  Writes <dir>/index.html and one PNG per plot: loss curves, latent codes (scatter; PCA projection and scree
  when the latent has more than 2 dimensions), KL per latent dimension (VAE), explained variance (PCA),
  reconstructions, prior samples (VAE), the decoded manifold and an interpolation (square images only, pixel
  values clipped to [0, 1]).
  Needs the optional package @latentlab/viz.

  --out <dir>         report directory (created)
  --points <n>        test examples encoded for the latent plots and the KL (default 5000)
  --images <n>        inputs shown with their reconstructions, and prior samples (8..16, default 16)
  --seed <n>          seed of the prior samples (default 0)
  --backend <cpu|wasm>  TensorFlow.js backend (default wasm)`,
  bench: `Usage: latentlab bench [options]

  --model <vae|ae|linear-ae>  model (default vae)
  --dataset <mnist|fashion-mnist|file.csv>  data (default mnist)
  --limit <n>         examples per epoch (default 10000)
  --batch-size <n>    examples per step (default 128)
  --latent <n>, --hidden <n,...>  architecture (defaults 20, 400)
  --backend <cpu|wasm>  TensorFlow.js backend (default wasm)`,
};

type Flags = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(
  command: string,
  args: string[],
  options: Flags,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(command, 'known options (see --help)', message);
  }
}

async function useBackend(name: string): Promise<void> {
  const backend = choiceFlag('backend', name, BACKENDS, 'wasm');
  if (tf.getBackend() === backend) return;
  try {
    if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
  } catch {
    throw new UsageError(
      '--backend',
      `an installed backend package (npm install @tensorflow/tfjs-backend-${backend}@^4.22.0)`,
      `${backend} (package not found)`,
    );
  }
  if (!(await tf.setBackend(backend))) throw new UsageError('--backend', 'a backend that initialises', backend);
  await tf.ready();
}

const hiddenFlag = (value: string | undefined): number[] => {
  if (value === undefined) return [400];
  if (value === '') return [];
  return value.split(',').map((v) => intFlag('hidden', v, 1));
};

function buildModel(
  info: RunInfo,
  d: number,
  latent: number,
  hidden: number[],
  beta: number,
  decoder: 'bernoulli' | 'gaussian',
) {
  const common = { inputShape: [d], latentDim: latent, seed: info.seed };
  switch (info.model) {
    case 'vae':
      return new Vae({ ...common, hiddenUnits: hidden, beta, decoder });
    case 'ae':
      return new Autoencoder({ ...common, architecture: 'mlp', hiddenUnits: hidden });
    case 'linear-ae':
      return new Autoencoder({ ...common, architecture: 'linear' });
    default:
      return new Pca({ nComponents: latent, seed: info.seed });
  }
}

async function readRun(dir: string): Promise<RunInfo> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as RunInfo;
  } catch (error) {
    throw new UsageError(
      'run directory',
      `a directory written by 'latentlab train' (with run.json)`,
      `${dir} (${(error as Error).message})`,
    );
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function train(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse('train', args, {
    model: { type: 'string' },
    dataset: { type: 'string' },
    latent: { type: 'string' },
    hidden: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    beta: { type: 'string' },
    seed: { type: 'string' },
    limit: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    resume: { type: 'boolean' },
    out: { type: 'string' },
  });
  if (v.help) {
    io.stdout(`${USAGE.train}\n`);
    return 0;
  }
  const out = v.out as string | undefined;
  if (!out) throw new UsageError('--out', 'a run directory', 'nothing');
  await useBackend((v.backend as string | undefined) ?? 'wasm');
  const epochs = intFlag('epochs', v.epochs as string | undefined, 10);
  const workers = intFlag('workers', v.workers as string | undefined, 1);
  let info: RunInfo;
  let model: SavableModel;
  let optimizer: tf.Optimizer | null = null;
  let initialState: TrainState | undefined;
  if (v.resume) {
    info = { ...(await readRun(out)), epochs };
    const loaded = await loadModel(fileSystem(out));
    model = loaded.model;
    optimizer = loaded.optimizer;
    initialState = loaded.training ?? undefined;
    io.stderr(`resuming ${out} at epoch ${initialState?.epoch ?? 0}\n`);
  } else {
    const dataset = (v.dataset as string | undefined) ?? 'mnist';
    info = {
      model: choiceFlag('model', v.model as string | undefined, MODELS, 'vae'),
      dataset,
      limit: v.limit === undefined ? null : intFlag('limit', v.limit as string, 1),
      epochs,
      batchSize: intFlag('batch-size', v['batch-size'] as string | undefined, 128),
      seed: intFlag('seed', v.seed as string | undefined, 0, 0),
      optimizer: { name: 'adam', learningRate: numberFlag('lr', v.lr as string | undefined, 1e-3) },
    };
    const latent = intFlag('latent', v.latent as string | undefined, 20);
    const hidden = hiddenFlag(v.hidden as string | undefined);
    const beta = numberFlag('beta', v.beta as string | undefined, 1, false);
    const d = (await loadDataset(info.dataset, 'train', 1)).shape.slice(1).reduce((a, b) => a * b, 1);
    model = buildModel(info, d, latent, hidden, beta, dataset.endsWith('.csv') ? 'gaussian' : 'bernoulli');
  }
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'run.json'), json(info));
  const trainSet = await loadDataset(info.dataset, 'train', info.limit ?? undefined);
  try {
    if (model instanceof Pca) {
      const x = tf.tidy(() => {
        const t = tf.tensor2d(Float32Array.from(trainSet.x), [
          trainSet.shape[0]!,
          trainSet.x.length / trainSet.shape[0]!,
        ]);
        return trainSet.x instanceof Uint8Array ? tf.div(t, 255) : t; // bytes scaled to [0, 1] as in training
      }) as tf.Tensor2D;
      await model.fit(x);
      x.dispose();
      await saveModel(model, fileSystem(out));
      io.stdout(json({ model: 'pca', ...pcaMetrics(model) }));
      return 0;
    }
    optimizer ??= createOptimizer(info.optimizer);
    const bar = new ProgressBar(io, epochs);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const options = {
        epochs,
        batchSize: info.batchSize,
        seed: info.seed,
        optimizer,
        initialState,
        signal: controller.signal,
        onBatchEnd: (log: BatchLog) => bar.update(log),
        onEpochEnd: async (log: EpochLog, state: TrainState) => {
          await saveModel(model, fileSystem(out), { optimizer, optimizerConfig: info.optimizer, training: state });
          bar.epochDone(log);
        },
      };
      // Several workers: data-parallel training over worker threads (the same run, on more cores).
      const result =
        workers > 1
          ? await trainInWorkers(model, trainSet, { ...options, workers })
          : await model.fit(trainSet, options);
      bar.finish();
      io.stdout(json({ stopReason: result.stopReason, steps: result.steps, history: result.history }));
      return result.stopReason === 'aborted' ? 130 : 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}

async function evaluate(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse('eval', args, {
    iwae: { type: 'string' },
    limit: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
  });
  if (v.help) {
    io.stdout(`${USAGE.eval}\n`);
    return 0;
  }
  const dir = positionals[0];
  if (!dir) throw new UsageError('eval', 'a run directory', 'nothing');
  await useBackend((v.backend as string | undefined) ?? 'wasm');
  const info = await readRun(dir);
  const limit = v.limit === undefined ? undefined : intFlag('limit', v.limit as string, 1);
  const iwaeK = intFlag('iwae', v.iwae as string | undefined, 0, 0);
  const batchSize = intFlag('batch-size', v['batch-size'] as string | undefined, 500);
  const seed = intFlag('seed', v.seed as string | undefined, 0, 0);
  const test = await loadDataset(info.dataset, 'test', limit);
  const { model } = await loadModel(fileSystem(dir));
  try {
    let metrics: unknown;
    if (model instanceof Pca) {
      const x = tf.tidy(() => {
        const t = tf.tensor2d(Float32Array.from(test.x), [test.shape[0]!, test.x.length / test.shape[0]!]);
        return test.x instanceof Uint8Array ? tf.div(t, 255) : t;
      }) as tf.Tensor2D;
      metrics = { model: 'pca', ...pcaMetrics(model, x) };
      x.dispose();
    } else {
      const bar = new ProgressBar(io, 1);
      metrics = await evaluateLatentModel(model, test, {
        iwaeK,
        batchSize,
        seed,
        onProgress: (done, total) => bar.fraction(done / total, `IWAE K=${iwaeK}`),
      });
      bar.finish();
    }
    const text = json({
      run: dir,
      dataset: info.dataset,
      examples: test.shape[0],
      backend: tf.getBackend(),
      ...(metrics as object),
    });
    await writeFile(path.join(dir, 'metrics.json'), text);
    io.stdout(text);
    return 0;
  } finally {
    model.dispose();
  }
}

async function sample(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse('sample', args, {
    n: { type: 'string', short: 'n' },
    out: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
  });
  if (v.help) {
    io.stdout(`${USAGE.sample}\n`);
    return 0;
  }
  const dir = positionals[0];
  if (!dir) throw new UsageError('sample', 'a run directory', 'nothing');
  await useBackend((v.backend as string | undefined) ?? 'wasm');
  const n = intFlag('n', v.n as string | undefined, 64);
  const out = (v.out as string | undefined) ?? 'samples.json';
  const { model } = await loadModel(fileSystem(dir));
  try {
    if (!(model instanceof Vae)) throw new UsageError('sample', 'a VAE run', `a ${model.constructor.name} run`);
    const samples = model.sample(n, createRng(intFlag('seed', v.seed as string | undefined, 0, 0)));
    const data = Float32Array.from(samples.dataSync());
    samples.dispose();
    const d = model.inputSize;
    if (out.endsWith('.png')) {
      let viz: { encodeRgbaPng(rgba: Uint8ClampedArray, w: number, h: number): Uint8Array };
      try {
        viz = (await import('@latentlab/viz' as string)) as typeof viz;
      } catch {
        throw new UsageError('--out', 'a .json file, or install @latentlab/viz for .png', out);
      }
      const side = Math.round(Math.sqrt(d));
      if (side * side !== d) throw new UsageError('--out', 'square images for .png (use .json)', `${d} features`);
      const cols = Math.ceil(Math.sqrt(n));
      const rows = Math.ceil(n / cols);
      const rgba = new Uint8ClampedArray(cols * side * rows * side * 4);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < d; p++) {
          const [y, x] = [Math.floor(i / cols) * side + Math.floor(p / side), (i % cols) * side + (p % side)];
          const at = (y * cols * side + x) * 4;
          rgba.fill(Math.round(255 * Math.min(1, Math.max(0, data[i * d + p]!))), at, at + 3);
          rgba[at + 3] = 255;
        }
      }
      await writeFile(out, viz.encodeRgbaPng(rgba, cols * side, rows * side));
    } else {
      await writeFile(out, JSON.stringify({ shape: [n, d], data: Array.from(data) }));
    }
    io.stdout(json({ samples: n, out }));
    return 0;
  } finally {
    model.dispose();
  }
}

async function bench(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse('bench', args, {
    model: { type: 'string' },
    dataset: { type: 'string' },
    limit: { type: 'string' },
    'batch-size': { type: 'string' },
    latent: { type: 'string' },
    hidden: { type: 'string' },
    backend: { type: 'string' },
  });
  if (v.help) {
    io.stdout(`${USAGE.bench}\n`);
    return 0;
  }
  await useBackend((v.backend as string | undefined) ?? 'wasm');
  const kind = choiceFlag('model', v.model as string | undefined, ['vae', 'ae', 'linear-ae'] as const, 'vae');
  const dataset = (v.dataset as string | undefined) ?? 'mnist';
  const data = await loadDataset(dataset, 'train', intFlag('limit', v.limit as string | undefined, 10_000));
  const batchSize = intFlag('batch-size', v['batch-size'] as string | undefined, 128);
  const info: RunInfo = {
    model: kind,
    dataset,
    limit: null,
    epochs: 2,
    batchSize,
    seed: 0,
    optimizer: { name: 'adam', learningRate: 1e-3 },
  };
  const d = data.shape.slice(1).reduce((a, b) => a * b, 1);
  const latent = intFlag('latent', v.latent as string | undefined, 20);
  const model = buildModel(
    info,
    d,
    latent,
    hiddenFlag(v.hidden as string | undefined),
    1,
    dataset.endsWith('.csv') ? 'gaussian' : 'bernoulli',
  ) as Vae | Autoencoder;
  try {
    // Epoch 1 warms up (kernel compilation, allocation); epoch 2 is measured.
    const { history } = await model.fit(data, { epochs: 2, batchSize, yieldEveryMs: 1000 });
    const last = history.at(-1)!;
    io.stdout(
      json({
        backend: tf.getBackend(),
        model: kind,
        examples: data.shape[0],
        batchSize,
        seconds: last.seconds,
        samplesPerSecond: last.samplesPerSecond,
      }),
    );
    return 0;
  } finally {
    model.dispose();
  }
}

/** Rows of a data set as an [n, d] float32 tensor, bytes scaled to [0, 1] as in training. */
function featureMatrix(data: Dataset): tf.Tensor2D {
  const n = data.shape[0]!;
  return tf.tidy(() => {
    const t = tf.tensor2d(Float32Array.from(data.x), [n, data.x.length / n]);
    return data.x instanceof Uint8Array ? tf.div(t, 255) : t;
  }) as tf.Tensor2D;
}

/** Runs `f`, reads the tensor it returns as float32 (clipped to [lo, hi] when given) and disposes it. */
async function read(f: () => tf.Tensor, clip?: [number, number]): Promise<Float32Array> {
  const t = tf.tidy(() => (clip ? tf.clipByValue(f(), clip[0], clip[1]) : f()));
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** The part of '@latentlab/viz/node' that `report` uses (typed here: viz is an optional peer, and its browser types need the DOM lib). */
interface VizSection {
  heading: string;
  text?: string;
  plot: unknown;
}
interface VizNode {
  latentReportSections(data: {
    codes: Float32Array;
    dim: number;
    labels?: ArrayLike<number>;
    classNames?: string[];
    imageShape?: [number, number];
    inputs?: Float32Array;
    reconstructions?: Float32Array;
    samples?: Float32Array;
    decode?: (z: Float32Array[]) => Promise<Float32Array>;
    history?: { train: LossHistory; validation?: LossHistory };
    klPerDim?: ArrayLike<number>;
  }): VizSection[];
  screePlot(options: { variances: ArrayLike<number>; title?: string }): unknown;
  writeReport(
    dir: string,
    options: { title: string; sections: VizSection[] },
  ): Promise<{ html: string; images: string[]; errors: { heading: string; message: string }[] }>;
}
interface LossHistory {
  total?: number[];
  reconstruction?: number[];
  kl?: number[];
}

async function report(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse('report', args, {
    out: { type: 'string' },
    points: { type: 'string' },
    images: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
  });
  if (v.help) {
    io.stdout(`${USAGE.report}\n`);
    return 0;
  }
  const dir = positionals[0];
  if (!dir) throw new UsageError('report', 'a run directory', 'nothing');
  const out = v.out as string | undefined;
  if (!out) throw new UsageError('--out', 'a report directory', 'nothing');
  const points = intFlag('points', v.points as string | undefined, 5000);
  const nImages = intFlag('images', v.images as string | undefined, 16, 8);
  if (nImages > 16) throw new UsageError('--images', 'an integer in 8..16', JSON.stringify(v.images));
  const seed = intFlag('seed', v.seed as string | undefined, 0, 0);
  let viz: VizNode;
  try {
    viz = (await import('@latentlab/viz/node' as string)) as VizNode;
  } catch (error) {
    io.stderr(`latentlab report: install @latentlab/viz to use \`latentlab report\` (${(error as Error).message})\n`);
    return 2;
  }
  await useBackend((v.backend as string | undefined) ?? 'wasm');
  const info = await readRun(dir);
  const test = await loadDataset(info.dataset, 'test', points);
  const { model, optimizer, training } = await loadModel(fileSystem(dir));
  optimizer?.dispose();
  const x = featureMatrix(test);
  try {
    const [n, d] = x.shape;
    const side = Math.round(Math.sqrt(d));
    const imageShape: [number, number] | undefined = side * side === d ? [side, side] : undefined;
    const codes = await read(() => model.encode(x));
    const dim = codes.length / n;
    const shown = Math.min(nImages, n);
    // Pixels are shown clipped to [0, 1]: a Gaussian decoder's mean, PCA and autoencoders can overshoot.
    const pixels: [number, number] = [0, 1];
    const inputs = await read(() => tf.slice(x, [0, 0], [shown, d]), pixels);
    const reconstructions = await read(() => {
      const first = tf.slice(x, [0, 0], [shown, d]);
      return model instanceof Pca ? model.reconstruct(first) : model.decode(model.encode(first));
    }, pixels);
    const samples = model instanceof Vae ? await read(() => model.sample(shown, createRng(seed)), pixels) : undefined;
    const klPerDim =
      model instanceof Vae
        ? ((await evaluateLatentModel(model, test, { batchSize: 500 })).klPerDim ?? undefined)
        : undefined;
    const decode = (zs: Float32Array[]) => {
      const flat = new Float32Array(zs.length * dim);
      for (let i = 0; i < zs.length; i++) flat.set(zs[i]!, i * dim);
      return read(() => model.decode(tf.tensor2d(flat, [zs.length, dim])), pixels);
    };
    const logs = training?.history ?? [];
    const terms = (get: (log: (typeof logs)[number]) => LossSummary | null) => {
      const rows = logs.map(get).filter((s): s is LossSummary => s !== null);
      if (rows.length === 0) return undefined;
      return {
        total: rows.map((s) => s.loss),
        reconstruction: rows.map((s) => s.reconstruction),
        ...(rows.every((s) => s.kl !== null) && { kl: rows.map((s) => s.kl!) }),
      };
    };
    const trainHistory = terms((log) => log);
    const validation = logs.every((log) => log.validation !== null) ? terms((log) => log.validation) : undefined;
    const sections = viz.latentReportSections({
      codes,
      dim,
      ...(test.labels && { labels: test.labels }),
      ...(test.classNames && { classNames: [...test.classNames] }),
      ...(imageShape && { imageShape, inputs, reconstructions, decode }),
      ...(imageShape && samples && { samples }),
      ...(trainHistory && { history: { train: trainHistory, ...(validation && { validation }) } }),
      ...(klPerDim && { klPerDim }),
    });
    if (model instanceof Pca) {
      sections.push({
        heading: 'Explained variance',
        text: `${model.nComponents} components explain ${(100 * pcaMetrics(model).cumulativeExplainedVariance).toFixed(1)}% of the variance.`,
        plot: viz.screePlot({ variances: model.explainedVariance, title: 'Explained variance per component' }),
      });
    }
    const result = await viz.writeReport(out, {
      title: `latentlab report: ${info.model} on ${info.dataset}`,
      sections,
    });
    for (const e of result.errors) io.stderr(`latentlab report: plot '${e.heading}' not drawn: ${e.message}\n`);
    io.stdout(`${result.html}\n`);
    return result.errors.length > 0 ? 1 : 0;
  } finally {
    x.dispose();
    model.dispose();
  }
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  train,
  eval: evaluate,
  sample,
  report,
  bench,
};

/**
 * The `latentlab` command line: `train`, `eval`, `sample`, `report`, `bench` (see `latentlab --help`). Returns the exit
 * code: 0 done, 1 failed (e.g. an unreadable checkpoint), 2 bad command line (message and usage on stderr),
 * 130 training interrupted (the last epoch's checkpoint is kept).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE.main}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`latentlab: unknown command '${command}'\n\n${USAGE.main}\n`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`latentlab ${command}: ${error.message}\n\n${USAGE[command]}\n`);
      return 2;
    }
    if (error instanceof LatentlabError) {
      io.stderr(`latentlab ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
