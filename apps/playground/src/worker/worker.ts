/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js, the data and the models, so the page stays responsive. It answers
 * the requests of protocol.ts and streams progress and plot specs back.
 */
import { DatasetError } from '@latentlab/data';
import type { PlotSpec } from '@latentlab/viz';
import { getBackend } from '@tensorflow/tfjs-core';
import type { ExplorerRequest } from '../explorer/protocol.js';
import { exploreCurrent } from '../explorer/worker/explore.js';
import type {
  BackendChoice,
  DatasetChoice,
  LearnModel,
  PlotSet,
  Request,
  ShippedModelInfo,
  TrainSettings,
  WorkerEvent,
} from '../protocol.js';
import { configureWasm, currentStatus, startBackend } from './backends.js';
import { classify, classifyTrainingFailure } from './classify.js';
import { CurrentData } from './current-data.js';
import { loadData, type PreparedData, summarise } from './datasets.js';
import { Job } from './job.js';
import { moveModels } from './move-models.js';
import {
  fromArtifacts,
  loadFromIndexedDb,
  ModelFileError,
  parseRun,
  saveToIndexedDb,
  toArtifacts,
  toDownload,
} from './persistence.js';
import { decodePoint, interpolatePoints, plotsFor } from './plots.js';
import { progressOf, runLabel } from './progress.js';
import { importedJob, importedMessage, readSafetensorsUpload } from './safetensors-upload.js';
import { shippedLossPlot } from './shipped-loss.js';
import { fetchShipped } from './shipped-models.js';
import { attach, detach, setPixelRatio, show, showSet } from './surfaces.js';
import { readModelUpload } from './uploads.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

let main: Job | null = null;
/** The job whose steps are running now (the main job, or one model of the compare view). */
let active: { job: Job; name: 'main' | 'compare'; run: Promise<unknown> } | null = null;
let fallbacks: { backend: string; reason: string }[] = [];
/** `?trainRows` of the page: image sets train on their first N training images (null: all). */
let trainRows: number | null = null;
let compareJobs: Job[] = [];
/** The shipped models of the Learn view, kept whatever trains (their own copies). */
const learnJobs = new Map<LearnModel, Job>();
/** Counts Train and Compare requests: one that waited for the training rows starts only if no later one came. */
let runRequests = 0;

const fail = (error: unknown) => post({ type: 'error', ...classify(error) });

/** The data: an image set's training split arrives after its test split and is announced to the page. */
const current = new CurrentData(loadData, {
  onTraining: (d) => post({ type: 'trainingLoaded', summary: summarise(d) }),
  onError: (error) => {
    post({ type: 'error', ...classifyTrainingFailure(error) });
    post({ type: 'trainingFailed' });
  },
});

/** Draws a job's figures into the slots `name.*`; `extra` replaces some of them (a shipped model's loss chart). */
async function sendPlots(job: Job, name: string, extra: PlotSet<PlotSpec> = {}): Promise<void> {
  const compact = name.startsWith('compare') || name.startsWith('shipped');
  const plots = showSet(name, { ...(await plotsFor(job, compact)), ...extra });
  post({ type: 'plots', job: name, plots });
}

/**
 * Runs a job with throttled progress and plot updates; resolves when it is done or paused. Plots are redrawn every
 * second, or every four times as long as the last redraw took, so training keeps ≥ 80 % of the worker's time even
 * where drawing is slow (a software GPU backend).
 */
async function runJob(job: Job, name: 'main' | 'compare', plotName: string): Promise<'done' | 'paused'> {
  let lastProgress = 0;
  let lastPlot = performance.now();
  let plotMs = 0;
  const run = job.run({
    onStep: async () => {
      const now = performance.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        post({ type: 'progress', progress: progressOf(job, name, 'training') });
      }
      if (now - lastPlot > Math.max(1000, 4 * plotMs)) {
        await sendPlots(job, plotName);
        lastPlot = performance.now();
        plotMs = lastPlot - now;
      }
    },
    onSwitched: async () => {
      await moveJobs(getBackend() as BackendChoice, job);
      post({ type: 'backend', backend: await currentStatus(fallbacks) });
    },
  });
  active = { job, name, run };
  try {
    const outcome = await run;
    post({ type: 'progress', progress: progressOf(job, name, outcome) });
    await sendPlots(job, plotName);
    return outcome;
  } finally {
    if (active?.job === job) active = null;
  }
}

async function stopActive(): Promise<void> {
  if (!active) return;
  const { job, run } = active;
  job.pause();
  await run.catch(() => undefined);
}

/**
 * The data `choice` with its training part (loaded first when it is not the current data): null when a later
 * choice replaced it meanwhile, and what asked for it is then moot.
 */
async function ensureData(choice: DatasetChoice): Promise<PreparedData | null> {
  if (current.data && current.choice === choice) return current.withTraining();
  if (choice === 'csv') {
    throw new DatasetError(
      'restore',
      'the run was trained on an uploaded CSV file',
      'the same CSV loaded first',
      'no CSV loaded',
    );
  }
  const loaded = await current.load(choice, { trainRows, eager: true });
  if (!loaded) return null;
  post({ type: 'data', summary: summarise(loaded) });
  return current.withTraining();
}

/**
 * The data a Train or Compare runs on: stops the current run, waits for the training rows while they load; null
 * (nothing starts) when a later Train or Compare, or other data, superseded the request meanwhile.
 */
async function startRun(): Promise<PreparedData | null> {
  const request = ++runRequests;
  await stopActive();
  const d = await current.withTraining();
  if (!d || request !== runRequests) return null;
  await stopActive();
  return d;
}

async function train(settings: TrainSettings): Promise<void> {
  const d = await startRun();
  if (!d) return;
  main?.dispose();
  main = new Job(settings, d);
  await runJob(main, 'main', 'main');
}

async function compare(settings: TrainSettings): Promise<void> {
  const d = await startRun();
  if (!d) return;
  for (const job of compareJobs) job.dispose();
  compareJobs = (['pca', 'deep-ae', 'vae'] as const).map((model) => new Job({ ...settings, model }, d));
  for (const [i, job] of compareJobs.entries()) {
    const outcome = await runJob(job, 'compare', `compare-${i}`);
    if (outcome === 'paused') return;
  }
  // The comparison's VAE becomes the current model: the results view shows it, and it can be saved or downloaded.
  const vae = compareJobs.pop();
  if (vae) {
    main?.dispose();
    main = vae;
    await sendPlots(vae, 'main');
  }
}

/** Moves every model the worker holds (the current run, the compare view's, the Learn view's) but `except`. */
async function moveJobs(name: BackendChoice, except: Job | null = null): Promise<void> {
  const held = new Set([main, ...compareJobs, ...learnJobs.values()]);
  const jobs = [...held].filter((j): j is Job => j !== null && j !== except);
  await moveModels(jobs, name);
}

async function setBackend(name: BackendChoice): Promise<void> {
  if (active?.job.requestSwitch(name)) return; // moved between two steps; reported by onSwitched
  try {
    await moveJobs(name);
  } finally {
    post({ type: 'backend', backend: await currentStatus(fallbacks) });
  }
}

/**
 * One uploaded `.safetensors` file becomes the current model. It is read, imported and checked against the
 * current data before anything else happens: a refused file leaves the current model (and its training) as it was.
 */
async function uploadSafetensors(files: File[]): Promise<void> {
  const file = files[0];
  if (!file || files.length > 1)
    throw new ModelFileError('choose one .safetensors file on its own', 'These files cannot be loaded together');
  const imported = await readSafetensorsUpload(file);
  const d = await ensureData(current.choice).catch((error: unknown) => {
    imported.model.dispose();
    throw error;
  });
  if (!d) return imported.model.dispose(); // other data was chosen meanwhile
  const job = importedJob(imported, d); // disposes the model when its input size is not the data's
  await stopActive();
  await showLoaded(job, importedMessage(imported, job));
}

/**
 * The pretrained PCA, AE and VAE served with the app become the compare view's three models and the VAE the
 * results view's model, unless the user has started something meanwhile (then they are dropped). A failure to
 * load them is reported and changes nothing else.
 */
async function showShipped(d: PreparedData): Promise<void> {
  const loaded: { job: Job; info: ShippedModelInfo }[] = [];
  try {
    for (const name of ['pca', 'ae', 'vae'] as const) {
      const { imported, info } = await fetchShipped(name);
      loaded.push({ job: importedJob(imported, d), info });
    }
  } catch (error) {
    for (const { job } of loaded) job.dispose();
    throw error;
  }
  if (main !== null || active !== null || compareJobs.length > 0 || current.data !== d) {
    for (const { job } of loaded) job.dispose();
    return showLearn(d);
  }
  // As after a comparison: the VAE is the current model, PCA and the AE stay in the compare view.
  const vae = loaded.at(-1)!.job;
  const shippedCompare = loaded.slice(0, -1).map(({ job }) => job);
  compareJobs = shippedCompare;
  main = vae;
  const vaeInfo = loaded.at(-1)!.info;
  post({ type: 'shipped', models: loaded.map(({ info }) => info) });
  const loss = shippedLossPlot(vaeInfo);
  await sendPlots(vae, 'main', loss ? { loss } : {});
  // The first figure is drawn: now the training split (the bulk of the data) may load.
  current.loadTraining();
  // Drawn one by one while the page is idle; a run started meanwhile takes over the slots.
  for (const [i, { job }] of loaded.entries()) {
    if (main !== vae || compareJobs !== shippedCompare) break;
    await sendPlots(job, `compare-${i}`);
  }
  await showLearn(d);
}

/** The Learn view's copies of the shipped models, drawn into `shipped-<name>` slots (which nothing else uses). */
async function showLearn(d: PreparedData): Promise<void> {
  for (const name of ['pca', 'ae', 'vae', 'vae-beta-0.5', 'vae-beta-4'] as const) {
    if (learnJobs.has(name) || current.data !== d) continue;
    const { imported } = await fetchShipped(name);
    const job = importedJob(imported, d);
    learnJobs.set(name, job);
    await sendPlots(job, `shipped-${name}`);
  }
}

async function handle(request: Request): Promise<void> {
  if (request.type.startsWith('explorer.'))
    return exploreCurrent(request as ExplorerRequest, current, () => main ?? compareJobs.at(-1) ?? null, post);
  switch (request.type) {
    // Canvases are taken in at once, also mid-training (the worker yields between steps).
    case 'attach':
      return attach(request.id, request.slot, request.canvas);
    case 'detach':
      return detach(request.id);
    case 'init': {
      configureWasm(request.threads);
      trainRows = request.trainRows;
      setPixelRatio(request.pixelRatio);
      const status = await startBackend(request.backend);
      fallbacks = status.fallbacks;
      post({ type: 'ready', backend: status });
      // Only MNIST's test split is awaited: the shipped models' figures need no more. The training split follows
      // once the first figure is drawn (or the shipped models failed).
      const d = await current.load('mnist', { trainRows });
      if (!d) return; // another data set was chosen meanwhile
      post({ type: 'data', summary: summarise(d) });
      try {
        return await showShipped(d);
      } finally {
        current.loadTraining();
      }
    }
    case 'setBackend':
      return setBackend(request.backend);
    case 'loadData': {
      await stopActive();
      const loaded = await current.load(request.dataset, {
        ...(request.file ? { file: request.file } : {}),
        ...(request.labelColumn !== undefined ? { labelColumn: request.labelColumn } : {}),
        trainRows,
        eager: true, // no figure waits for the test split alone: both splits at once
      });
      if (!loaded) return; // a later choice superseded this one
      main?.dispose();
      main = null;
      for (const job of compareJobs) job.dispose();
      compareJobs = [];
      post({ type: 'data', summary: summarise(loaded) });
      current.loadTraining();
      return;
    }
    case 'loadTraining':
      current.loadTraining();
      return;
    case 'clearData':
      await stopActive();
      main?.dispose();
      main = null;
      for (const job of compareJobs) job.dispose();
      compareJobs = [];
      current.clear();
      return;
    case 'train':
      return train(request.settings);
    case 'pause':
      return stopActive();
    case 'resume':
      if (main && !active && main.state !== 'done') await runJob(main, 'main', 'main');
      return;
    case 'compare':
      return compare(request.settings);
    case 'decode': {
      const job = main ?? compareJobs.at(-1);
      if (job) {
        post({ type: 'decoded', kind: 'point', plot: show('decoded', await decodePoint(job, request.z)) });
      }
      return;
    }
    case 'learnDecode': {
      const job = learnJobs.get(request.model);
      if (job) {
        const plot = show(`learn-decoded-${request.model}`, await decodePoint(job, request.z));
        post({ type: 'learnDecoded', model: request.model, plot });
      }
      return;
    }
    case 'interpolate': {
      const job = main ?? compareJobs.at(-1);
      if (job) {
        const plot = show('interpolation', await interpolatePoints(job, request.a, request.b));
        post({ type: 'decoded', kind: 'interpolation', plot });
      }
      return;
    }
    case 'save': {
      if (!main) throw new ModelFileError('train or load a model first', 'There is no model yet');
      await saveToIndexedDb(await toArtifacts(main, current.choice));
      post({ type: 'saved', message: `Saved ${runLabel(main)} in this browser.` });
      return;
    }
    case 'download': {
      if (!main) throw new ModelFileError('train or load a model first', 'There is no model yet');
      const baseName = `latentlab-${main.kind}-${main.data.name}-step${main.step}`;
      const { json, weights } = toDownload(await toArtifacts(main, current.choice), baseName);
      post({ type: 'download', json, weights, baseName }, [weights]);
      return;
    }
    case 'restore':
      return restoreRun(null);
    case 'upload':
      // One .safetensors file is an imported model; a .json + .weights.bin pair is a playground run.
      if (request.files.some((f) => f.name.endsWith('.safetensors'))) return uploadSafetensors(request.files);
      return restoreRun(request.files);
  }
}

/** Loads a saved run: from IndexedDB (`files` null) or an uploaded `.json` + `.weights.bin` pair. */
async function restoreRun(files: File[] | null): Promise<void> {
  await stopActive();
  const artifacts = files === null ? await loadFromIndexedDb() : await readModelUpload(files);
  const run = parseRun(artifacts.modelTopology);
  const d = await ensureData(run.dataset);
  if (!d) return; // other data was chosen while this run's data loaded
  const job = await fromArtifacts(artifacts, d);
  await showLoaded(job, `Loaded ${runLabel(job)} on ${d.name}.`);
}

/** A loaded or imported model becomes the current one: evaluated on the held-out data, announced and drawn. */
async function showLoaded(job: Job, message: string): Promise<void> {
  main?.dispose();
  main = job;
  await job.evaluateTest();
  post({ type: 'restored', settings: job.settings, message });
  post({ type: 'progress', progress: progressOf(job, 'main', job.state === 'done' ? 'done' : 'paused') });
  await sendPlots(job, 'main');
}

scope.onmessage = (event: MessageEvent<Request>) => {
  handle(event.data).catch(fail);
};
