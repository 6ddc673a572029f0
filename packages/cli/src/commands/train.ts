/// <reference types="node" />
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { removeStaleTemps } from '@latentlab/core/node';
import type { Dataset } from '@latentlab/data';
import {
  type BatchLog,
  createOptimizer,
  type EpochLog,
  loadModel,
  Pca,
  pcaMetrics,
  type SavableModel,
  saveModel,
  type TrainState,
} from '@latentlab/models';
import {
  checkRunHistory,
  fileSystem,
  RUN_MODELS,
  type RunInfo,
  readRunInfo,
  TrainingWorkers,
  trainInWorkers,
  writeRunInfo,
} from '@latentlab/models/node';
import type * as tf from '@tensorflow/tfjs-core';
import { AUTO_MIN_STEPS, trainWithAutoWorkers, type WorkerChoice } from '../auto-workers.js';
import { buildModel, hiddenFlag } from '../build-model.js';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { choiceFlag, type FlagValues, intFlag, numberFlag, stringFlag, valueFlags } from '../flags.js';
import type { CliIo } from '../io.js';
import { featuresOf, loadDataset } from '../load-dataset.js';
import { checkBytes, checkMemory, checkTrainingMemory } from '../memory.js';
import { ProgressBar } from '../progress.js';
import { type CommandSpec, command } from '../prologue.js';
import { featureMatrix } from '../tensors.js';

/** `--validation-split` when not given: a tenth of the training rows held out and evaluated every epoch. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `latentlab train`'s flags and arguments. */
const TRAIN_COMMAND: CommandSpec = {
  name: 'train',
  runDir: false,
  flags: {
    ...valueFlags(
      'model',
      'dataset',
      'latent',
      'hidden',
      'epochs',
      'batch-size',
      'lr',
      'beta',
      'seed',
      'limit',
      'workers',
      'validation-split',
      'out',
    ),
    resume: { type: 'boolean' },
  },
};

/** `latentlab train`: trains a model with a checkpoint (and `run.json`) in `--out` after every epoch. */
export const train = command(TRAIN_COMMAND, async (parsed, io) => {
  // The run's threads (`--workers n`, or auto's) start early, to load while the data loads and the model is built.
  // The run takes them (and ends them); if it never starts, they are ended here.
  const early: { threads: TrainingWorkers | null } = { threads: null };
  try {
    return await trainRun(parsed, io, early);
  } finally {
    await early.threads?.close();
  }
});

/** The body of `latentlab train`, which starts `early.threads` once it knows the model. */
async function trainRun(
  { values: v }: { values: FlagValues },
  io: CliIo,
  early: { threads: TrainingWorkers | null },
): Promise<number> {
  const out = stringFlag(v.out);
  if (!out) throw new UsageError('--out', 'a run directory', 'nothing');
  const epochs = intFlag('epochs', v.epochs, 10);
  const workersFlag = workersFlagOf(v.workers);
  let info: RunInfo;
  let model: SavableModel;
  let optimizer: tf.Optimizer | null = null;
  let initialState: TrainState | undefined;
  let trainSet: Dataset;
  if (v.resume) {
    info = { ...(await readRunInfo(out)), epochs };
    early.threads = earlyThreads(info, workersFlag);
    if (
      v['validation-split'] !== undefined &&
      validationSplitFlag(v['validation-split']) !== (info.validationSplit ?? 0)
    ) {
      throw new UsageError(
        '--validation-split',
        `the run's split (${info.validationSplit ?? 0}) or none with --resume`,
        String(v['validation-split']),
      );
    }
    trainSet = await loadDataset(info.dataset, 'train', info.limit ?? undefined);
    checkMemory('--batch-size', Math.min(info.batchSize, trainSet.shape[0]!), featuresOf(trainSet), 8);
    const loaded = await loadModel(fileSystem(out));
    model = loaded.model;
    optimizer = loaded.optimizer;
    initialState = loaded.training ?? undefined;
  } else {
    const dataset = stringFlag(v.dataset, 'mnist')!;
    info = {
      model: choiceFlag('model', v.model, RUN_MODELS, 'vae'),
      dataset,
      limit: v.limit === undefined ? null : intFlag('limit', v.limit, 1),
      epochs,
      batchSize: intFlag('batch-size', v['batch-size'], 128),
      seed: intFlag('seed', v.seed, 0, 0),
      optimizer: { name: 'adam', learningRate: numberFlag('lr', v.lr, 1e-3) },
    };
    // PCA has no epochs to validate; the split is recorded for the models that train by epochs.
    if (info.model !== 'pca') info.validationSplit = validationSplitFlag(v['validation-split']);
    early.threads = earlyThreads(info, workersFlag);
    const latent = intFlag('latent', v.latent, 20);
    const hidden = hiddenFlag(v.hidden);
    const beta = numberFlag('beta', v.beta, 1, false);
    trainSet = await loadDataset(info.dataset, 'train', info.limit ?? undefined);
    const d = featuresOf(trainSet);
    if (info.model === 'pca') {
      checkMemory('pca', trainSet.shape[0]!, d, 3); // the rows, centred, and projected
      checkBytes('pca', d * d * 8 * 3, `${d}² covariance × 8 B × 3`);
    } else checkTrainingMemory(trainSet.shape[0]!, d, hidden, latent, info.batchSize);
    const decoder = dataset.endsWith('.csv') ? 'gaussian' : 'bernoulli';
    model = buildModel({ model: info.model, inputSize: d, latent, hidden, beta, seed: info.seed, decoder });
  }
  try {
    if (v.resume) {
      if (initialState) checkRunHistory(initialState.history, `${out}/model.json`);
      io.stderr(`resuming ${out} at epoch ${initialState?.epoch ?? 0}\n`);
    }
    await mkdir(out, { recursive: true });
    await removeStaleTemps(out); // what a killed earlier run left half-written
    await writeRunInfo(out, info, 'latentlab train');
    if (model instanceof Pca) {
      const x = featureMatrix(trainSet);
      try {
        await model.fit(x);
      } finally {
        x.dispose();
      }
      await saveModel(model, fileSystem(out));
      io.stdout(json({ model: 'pca', ...(await pcaMetrics(model)) }));
      return EXIT.ok;
    }
    const trained = model;
    optimizer ??= createOptimizer(info.optimizer);
    const opt = optimizer;
    const split = info.validationSplit ?? 0;
    const bar = new ProgressBar(io, epochs);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const options = {
        epochs,
        batchSize: info.batchSize,
        seed: info.seed,
        optimizer: opt,
        initialState,
        ...(split > 0 ? { validationSplit: split } : {}),
        signal: controller.signal,
        onBatchEnd: (log: BatchLog) => bar.update(log),
        onEpochEnd: async (log: EpochLog, state: TrainState) => {
          await saveModel(trained, fileSystem(out), {
            optimizer: opt,
            optimizerConfig: info.optimizer,
            training: state,
          });
          bar.epochDone(log);
        },
      };
      // Several workers: data-parallel training over worker threads (the same run, on more cores); one: `fit`;
      // auto: the count measured fastest on the run itself, said on stderr.
      const onChoice = (c: WorkerChoice) => bar.note(`workers auto: ${c.reason} → ${c.workers}`);
      const result =
        workersFlag === 'auto'
          ? (await trainWithAutoWorkers(trained, trainSet, options, { onChoice, threads: early.threads ?? undefined }))
              .result
          : workersFlag > 1
            ? await trainInWorkers(trained, trainSet, { ...options, workers: early.threads ?? workersFlag })
            : await trained.fit(trainSet, options);
      bar.finish();
      io.stdout(json({ stopReason: result.stopReason, steps: result.steps, history: result.history }));
      return result.stopReason === 'aborted' ? EXIT.interrupted : EXIT.ok;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}

/**
 * The run's threads, started early (they load while the data loads and the model is built): `--workers n`'s n
 * (n ≥ 2), or `auto`'s min(8, CPUs), of which it tries 1, 2, 4... None for PCA, one worker, one CPU, or an `auto`
 * run that `--limit` makes too short to measure.
 */
function earlyThreads(info: RunInfo, flag: number | 'auto'): TrainingWorkers | null {
  if (info.model === 'pca' || flag === 1) return null;
  if (flag !== 'auto') return new TrainingWorkers({ workers: flag });
  const cpus = Math.min(8, availableParallelism());
  const short = info.limit != null && info.epochs * Math.ceil(info.limit / info.batchSize) < AUTO_MIN_STEPS;
  return cpus < 2 || short ? null : new TrainingWorkers({ workers: cpus });
}

/** `--workers n|auto` (default auto). */
function workersFlagOf(value: string | boolean | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new UsageError('--workers', "'auto' or an integer in 1..256", JSON.stringify(value));
  }
  return n;
}

/** `--validation-split f`: f ∈ [0, 1), default 0.1 (0: no validation). */
function validationSplitFlag(value: string | boolean | undefined): number {
  const f = numberFlag('validation-split', value, DEFAULT_VALIDATION_SPLIT, false);
  if (!(f < 1)) throw new UsageError('--validation-split', 'a number in [0, 1)', JSON.stringify(value));
  return f;
}
