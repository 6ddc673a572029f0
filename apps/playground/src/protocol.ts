/**
 * Messages between the page and the training worker. Everything here is structured-cloneable: numbers, strings,
 * `File`s, and the page's plot canvases (transferred once, as OffscreenCanvas). The page never evaluates anything
 * it gets.
 */
import type { ExplorerEvent, ExplorerRequest } from './explorer/protocol.js';

/**
 * A plot the worker has drawn into the page's canvas for its slot (see `Request` 'attach'): the page only sizes
 * the canvas (`width`/`height` in CSS pixels) and labels it. `draws` counts the drawings of that slot.
 */
export interface PlotInfo {
  width: number;
  height: number;
  title: string;
  draws: number;
}

/** The slot a plot is drawn into: `main.scatter`, `compare-1.manifold`, `decoded`, `interpolation`... */
export type PlotSlot = string;

/** The backends the worker can start, in the picker's order and the default order of preference (fastest first). */
export type BackendChoice = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type ModelKind = 'pca' | 'linear-ae' | 'deep-ae' | 'vae';
export const MODEL_LABELS: Readonly<Record<ModelKind, string>> = {
  pca: 'PCA',
  'linear-ae': 'Linear autoencoder',
  'deep-ae': 'Deep autoencoder',
  vae: 'VAE',
};

/** Short names for plot titles. */
export const MODEL_SHORT: Readonly<Record<ModelKind, string>> = {
  pca: 'PCA',
  'linear-ae': 'Linear AE',
  'deep-ae': 'Deep AE',
  vae: 'VAE',
};

export type DatasetChoice = 'mnist' | 'fashion-mnist' | 'swiss-roll' | 'two-moons' | 'blobs' | 'csv';
export const DATASET_LABELS: Readonly<Record<DatasetChoice, string>> = {
  mnist: 'MNIST (60 000 training digits)',
  'fashion-mnist': 'Fashion-MNIST (60 000 training images)',
  'swiss-roll': 'Swiss roll (3-d)',
  'two-moons': 'Two moons (2-d)',
  blobs: 'Gaussian blobs (10-d)',
  csv: 'CSV file…',
};

/** Hyperparameters chosen in the UI. */
export interface TrainSettings {
  model: ModelKind;
  latentDim: number;
  /** KL weight β (VAE). */
  beta: number;
  /** Gaussian-decoder loss weight C = 1/(2c) (VAE on non-image data). */
  lossWeightC: number;
  klWarmupSteps: number;
  learningRate: number;
  epochs: number;
  batchSize: number;
}

export const DEFAULT_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  model: 'vae',
  latentDim: 2,
  beta: 1,
  lossWeightC: 0.5,
  // Reached within the smallest default run, two epochs of a synthetic set's 2 400 training rows
  // (2 · ⌈2400/128⌉ = 38 steps), so β gets to its value; on MNIST's 60 000 it is 30 of 2 · 469 = 938 steps.
  klWarmupSteps: 30,
  learningRate: 1e-3,
  epochs: 2,
  batchSize: 128,
});

export interface BackendStatus {
  /** The active backend. */
  name: BackendChoice;
  /** e.g. "WASM · SIMD · 2 threads", "WebGL 2 · float32" or "WebGPU · google swiftshader (software)". */
  detail: string;
  /** Preferences passed over on the way, with the reason (from `selectBackend`). */
  fallbacks: { backend: string; reason: string }[];
  crossOriginIsolated: boolean;
}

export interface DataSummary {
  name: string;
  /** Rows trained on; null while the training part loads (an image set's training split comes after its test split). */
  n: number | null;
  /** While the training part loads, what it is ("the 60,000 training digits"); null once it has arrived. */
  trainingPending: string | null;
  d: number;
  imageShape: [number, number] | null;
  classes: number;
  /** Rows held out (never trained on): the test split of an image set, a seeded 20 % of other data. */
  nTest: number;
  /** What the held-out rows are, e.g. "the 10,000 test digits". */
  heldOut: string;
}

export interface Progress {
  job: 'main' | 'compare';
  model: ModelKind;
  state: 'training' | 'paused' | 'switching' | 'done';
  step: number;
  epoch: number;
  epochs: number;
  stepsPerEpoch: number;
  loss: number | null;
  reconstruction: number | null;
  kl: number | null;
  /**
   * The loss on the held-out rows at the last epoch end (the negative ELBO of a VAE, the reconstruction loss of an
   * autoencoder, per example; PCA: its mean squared error per feature), and that epoch; null before the first.
   */
  testLoss: number | null;
  testEpoch: number | null;
  backend: BackendChoice;
  /** The VAE's KL weight at this step, β · min(1, step / warm-up steps) (core's `klWarmup`); null for other models. */
  klWeight: number | null;
  /** The run's β and KL warm-up length (VAE), so the page can show the warm-up's progress. */
  beta: number;
  klWarmupSteps: number;
  /** Mean milliseconds per optimizer step on each backend used so far in this run. */
  msPerStep: Partial<Record<BackendChoice, number>>;
}

/** Pixel = a·z + b for the two plotted latent dimensions, so a click maps back to a code. */
export interface LatentAxes {
  ax: number;
  bx: number;
  ay: number;
  by: number;
  latentDim: number;
}

export interface PlotSet<P = PlotInfo> {
  loss?: P;
  scatter?: P;
  axes?: LatentAxes;
  /** How many classes the scatter's sampled rows hold (every class of the data, unless it has tiny ones). */
  classesShown?: number;
  /** How many posterior ellipses (q(z|x), one input per class) a VAE's scatter draws. */
  posteriorsShown?: number;
  reconstructions?: P;
  samples?: P;
  manifold?: P;
}

/** The pretrained models served in `public/models/` (see `scripts/train-shipped-models.mjs`). */
export type ShippedName = 'pca' | 'ae' | 'vae' | 'vae-beta-0.5' | 'vae-beta-4';

/** What the page shows about a shipped model: how it was made and its test metrics (from `latentlab eval`). */
export interface ShippedModelInfo {
  name: ShippedName;
  /** The exact `latentlab train` and `latentlab eval` commands. */
  commands: string[];
  epochs: number | null;
  seed: number | null;
  testExamples: number | null;
  /** Nats per test example: the negative ELBO (VAE) or the Bernoulli reconstruction loss (AE); null for PCA. */
  testLoss: number | null;
  testReconstruction: number | null;
  testKl: number | null;
  /** Mean squared error per pixel of the reconstructions of the test set. */
  testReconstructionMse: number | null;
  /** The training loss per epoch as `latentlab train` logged it (empty for PCA, which is fitted in one pass). */
  trainHistory: EpochLoss[];
}

/** One epoch of a shipped model's training: the loss and its terms (KL null for an autoencoder). */
export interface EpochLoss {
  loss: number;
  reconstruction: number | null;
  kl: number | null;
}

/** The shipped models the Learn view draws (slots `shipped-<name>.scatter`, `.manifold`...). */
export type LearnModel = 'pca' | 'ae' | 'vae' | 'vae-beta-0.5' | 'vae-beta-4';

export type Request =
  /**
   * `backend`: the one `?backend=` asked for (tried first), or null for the default (see worker/backends.ts);
   * `trainRows`: image sets train on their first `trainRows` training images (`?trainRows`), null: all.
   */
  | {
      type: 'init';
      backend: BackendChoice | null;
      threads: boolean;
      pixelRatio: number;
      trainRows: number | null;
    }
  | { type: 'setBackend'; backend: BackendChoice }
  | { type: 'loadData'; dataset: DatasetChoice; file?: File; labelColumn?: string }
  /** "CSV file…" was chosen and no file yet: stop, and forget the data and its models. */
  | { type: 'clearData' }
  /** Load the current data's training part again, after 'trainingFailed'. */
  | { type: 'loadTraining' }
  | { type: 'train'; settings: TrainSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'compare'; settings: TrainSettings }
  | { type: 'decode'; z: number[] }
  /** The Learn view: decode `z` with one of the shipped models (shown in slot `learn-decoded-<model>`). */
  | { type: 'learnDecode'; model: LearnModel; z: number[] }
  | { type: 'interpolate'; a: number[]; b: number[] }
  | { type: 'save' }
  | { type: 'restore' }
  | { type: 'download' }
  | { type: 'upload'; files: File[] }
  /**
   * The page's canvas `id` shows `slot` from now on. The canvas itself (`transferControlToOffscreen`) comes with
   * the first attach of that id; the worker draws the slot's latest plot into it at once and on every update.
   */
  | { type: 'attach'; id: number; slot: PlotSlot; canvas?: OffscreenCanvas }
  /** The canvas `id` left the page: the worker forgets it. */
  | { type: 'detach'; id: number }
  | ExplorerRequest;

export type ErrorKind = 'csv' | 'backend' | 'memory' | 'model-file' | 'data' | 'training' | 'other';

export type WorkerEvent =
  | { type: 'ready'; backend: BackendStatus }
  | { type: 'backend'; backend: BackendStatus }
  /** New data: its held-out part is loaded (the training part may follow: 'trainingLoaded'); the old models are gone. */
  | { type: 'data'; summary: DataSummary }
  /** The training part of the current data has arrived (nothing else changes): Train and Compare can start. */
  | { type: 'trainingLoaded'; summary: DataSummary }
  /** The current data's training part did not load ('error' says why); a 'loadTraining' request tries again. */
  | { type: 'trainingFailed' }
  | { type: 'progress'; progress: Progress }
  | { type: 'plots'; job: string; plots: PlotSet }
  | { type: 'decoded'; plot: PlotInfo; kind: 'point' | 'interpolation' }
  | { type: 'saved'; message: string }
  | { type: 'restored'; settings: TrainSettings; message: string }
  | { type: 'download'; json: string; weights: ArrayBuffer; baseName: string }
  | { type: 'error'; kind: ErrorKind; message: string }
  /** The shipped models are drawn (main: the VAE; compare-0..2: PCA, AE, VAE) before anything trains. */
  | { type: 'shipped'; models: ShippedModelInfo[] }
  /** A code decoded by a shipped model for the Learn view. */
  | { type: 'learnDecoded'; model: LearnModel; plot: PlotInfo }
  | ExplorerEvent;
