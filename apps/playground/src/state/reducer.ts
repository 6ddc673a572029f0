/**
 * The page's state and its one reducer: every event of the training worker (`WorkerEvent`) and every user action
 * (`UiAction`) goes through `reduce`, so what the page shows after any sequence of them is a pure function of that
 * sequence (and testable without a browser). Side effects — posting requests, downloading files — stay in the
 * components that dispatch.
 *
 * @example
 * let state = initialState();
 * const summary = { name: 'mnist-train', n: null, trainingPending: 'the 60,000 training digits', d: 784,
 *   imageShape: [28, 28], classes: 10, nTest: 10000, heldOut: 'the 10,000 test digits' } satisfies DataSummary;
 * state = reduce(state, { type: 'data', summary }); // the figures can come; Train waits (canStart false)
 * state = reduce(state, { type: 'trainingLoaded', summary: { ...summary, n: 60000, trainingPending: null } });
 * // canStart(state) === true: Train is enabled
 */

import type { ExplorerEvent } from '../explorer/protocol.js';
import {
  type BackendChoice,
  type BackendStatus,
  DATASET_LABELS,
  type DataSummary,
  type DatasetChoice,
  DEFAULT_SETTINGS,
  type ErrorKind,
  type LearnModel,
  type PlotInfo,
  type PlotSet,
  type Progress,
  type ShippedModelInfo,
  type TrainSettings,
  type WorkerEvent,
} from '../protocol.js';
import { type NumericSetting, validateSettings } from './fields.js';

export interface Notice {
  kind: 'error' | 'info';
  /** A bold lead ("Bad CSV file"); empty when the text says it all ("Saved VAE at step 158 …"). */
  title: string;
  text: string;
}

/** A picked latent code: `z` (first two dims) and where it sits on the scatter, in CSS pixels. */
export interface PickedCode {
  z: number[];
  x: number;
  y: number;
}

export type View = 'train' | 'compare' | 'explorer' | 'learn';

export interface AppState {
  backend: BackendStatus | null;
  /** The backend being switched to, until the worker reports it. */
  switching: BackendChoice | null;
  summary: DataSummary | null;
  dataset: DatasetChoice;
  labelColumn: string;
  settings: TrainSettings;
  progress: Progress | null;
  plots: Record<string, PlotSet>;
  notice: Notice | null;
  view: View;
  picks: PickedCode[];
  decoded: PlotInfo | undefined;
  strip: PlotInfo | undefined;
  /** What the worker is busy with (loading data...), or null. */
  busy: string | null;
  /** The pretrained models served with the app, once loaded. */
  shipped: ShippedModelInfo[];
  /** The views show the shipped models (nothing trained, restored or loaded since). */
  showingShipped: boolean;
  /** The Learn view's decoded codes, one per shipped model. */
  learnDecoded: Partial<Record<LearnModel, PlotInfo>>;
  /** The current data's training part did not load (the data panel offers to load it again). */
  trainingFailed: boolean;
}

export type UiAction =
  | { type: 'ui/setting'; key: NumericSetting; value: number }
  | { type: 'ui/model'; model: TrainSettings['model'] }
  | { type: 'ui/switch-backend'; backend: BackendChoice }
  | { type: 'ui/dataset'; dataset: DatasetChoice; fileName?: string }
  | { type: 'ui/label-column'; value: string }
  | { type: 'ui/start'; kind: 'train' | 'compare' }
  | { type: 'ui/pick'; pick: PickedCode }
  | { type: 'ui/view'; view: View }
  /** A Learn step's "train it yourself": its settings, and the lab's results view. */
  | { type: 'ui/learn-try'; settings: Partial<TrainSettings> }
  /** "Load them again" after the training part failed to load. */
  | { type: 'ui/retry-training' }
  | { type: 'ui/dismiss' };

/** The Explorer tab's events go to its own stream (`src/explorer/bus.ts`), never through this reducer. */
export type Action = Exclude<WorkerEvent, ExplorerEvent> | UiAction;

export const ERROR_TITLES: Readonly<Record<ErrorKind, string>> = {
  csv: 'Bad CSV file',
  backend: 'Backend unavailable',
  memory: 'Out of memory',
  'model-file': 'Bad model file',
  data: 'Data could not be loaded',
  training: 'Training failed',
  other: 'Something went wrong',
};

export function initialState(settings: TrainSettings = DEFAULT_SETTINGS): AppState {
  return {
    backend: null,
    switching: null,
    summary: null,
    dataset: 'mnist',
    labelColumn: '',
    settings: { ...settings },
    progress: null,
    plots: {},
    notice: null,
    view: 'train',
    picks: [],
    decoded: undefined,
    strip: undefined,
    busy: 'Starting the backend and loading MNIST…',
    shipped: [],
    showingShipped: false,
    learnDecoded: {},
    trainingFailed: false,
  };
}

/** Everything a model drew is gone (new data, or no data). */
const cleared: Pick<AppState, 'plots' | 'progress' | 'picks' | 'decoded' | 'strip' | 'showingShipped'> = {
  showingShipped: false,
  plots: {},
  progress: null,
  picks: [],
  decoded: undefined,
  strip: undefined,
};

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'ready':
      return { ...state, backend: action.backend };
    case 'backend':
      return { ...state, backend: action.backend, switching: null };
    case 'data':
      // The Learn view's shipped models (`shipped-*`) do not depend on the data loaded: their figures stay.
      return {
        ...state,
        ...cleared,
        plots: Object.fromEntries(Object.entries(state.plots).filter(([job]) => job.startsWith('shipped-'))),
        summary: action.summary,
        busy: null,
        trainingFailed: false,
      };
    case 'trainingLoaded':
      // The current data's training split arrived (the worker reports it only for the current data): nothing else changes.
      return { ...state, summary: action.summary, trainingFailed: false };
    case 'trainingFailed':
      return { ...state, trainingFailed: true };
    case 'ui/retry-training':
      return { ...state, trainingFailed: false };
    case 'progress':
      return { ...state, progress: action.progress, busy: null };
    case 'plots':
      // With no data ("CSV file…" before a file), a model's figures sent before the data was cleared are stale:
      // only the Learn view's shipped models (which need no data) are drawn.
      if (state.summary === null && !action.job.startsWith('shipped-')) return state;
      return { ...state, plots: { ...state.plots, [action.job]: action.plots } };
    case 'decoded':
      return action.kind === 'point' ? { ...state, decoded: action.plot } : { ...state, strip: action.plot };
    case 'saved':
      return { ...state, notice: { kind: 'info', title: '', text: action.message } };
    case 'restored':
      return {
        ...state,
        settings: action.settings,
        notice: { kind: 'info', title: '', text: action.message },
        view: 'train',
        showingShipped: false,
      };
    case 'learnDecoded':
      return { ...state, learnDecoded: { ...state.learnDecoded, [action.model]: action.plot } };
    case 'ui/learn-try':
      return { ...state, settings: { ...state.settings, ...action.settings }, view: 'train', notice: null };
    case 'shipped':
      return { ...state, shipped: action.models, showingShipped: true };
    case 'download':
      return state; // the file itself is written by the component that receives the event
    case 'error':
      return {
        ...state,
        notice: { kind: 'error', title: ERROR_TITLES[action.kind] ?? 'Error', text: action.message },
        busy: null,
        switching: null,
      };
    case 'ui/setting':
      return { ...state, settings: { ...state.settings, [action.key]: action.value } };
    case 'ui/model':
      return { ...state, settings: { ...state.settings, model: action.model } };
    case 'ui/switch-backend':
      return { ...state, switching: action.backend, notice: null };
    case 'ui/dataset':
      // "CSV file…" without a file yet: the previous data and its plots are gone and Train waits for a file.
      if (action.dataset === 'csv' && action.fileName === undefined) {
        return { ...state, ...cleared, dataset: 'csv', summary: null, busy: null, notice: null, trainingFailed: false };
      }
      return {
        ...state,
        dataset: action.dataset,
        notice: null,
        busy: `Loading ${action.fileName ?? DATASET_LABELS[action.dataset]}…`,
      };
    case 'ui/label-column':
      return { ...state, labelColumn: action.value };
    case 'ui/start':
      return {
        ...state,
        notice: null,
        picks: [],
        decoded: undefined,
        strip: undefined,
        view: action.kind,
        showingShipped: false,
      };
    case 'ui/pick':
      return { ...state, picks: [...state.picks, action.pick].slice(-2) };
    case 'ui/view':
      return { ...state, view: action.view };
    case 'ui/dismiss':
      return { ...state, notice: null };
  }
}

/** A run is in progress: steps are being taken (or the backend is moving mid-run). */
export function isTraining(state: AppState): boolean {
  return state.progress?.state === 'training' || state.progress?.state === 'switching';
}

/**
 * Train and Compare can start: data is loaded with its training rows (an image set's training split comes after the
 * first figures: until then {@link waitingFor} says what the buttons wait for), the worker is idle, and every
 * visible setting is valid.
 */
export function canStart(state: AppState): boolean {
  return (
    state.summary !== null &&
    state.summary.n !== null &&
    state.busy === null &&
    Object.keys(validateSettings(state.settings, state.summary.imageShape !== null)).length === 0
  );
}

/** What Train and Compare wait for while the training rows load ("the 60,000 training digits"), else null. */
export function waitingFor(state: AppState): string | null {
  return state.busy === null && !state.trainingFailed ? (state.summary?.trainingPending ?? null) : null;
}

/**
 * There is a current model to save, download or explore: the lab's own run, the VAE a finished comparison
 * leaves as the current model, or the shipped VAE while the views show it (the worker's current model then).
 */
export function hasCurrentModel(state: AppState): boolean {
  const p = state.progress;
  if (!p) return state.showingShipped && state.shipped.some((m) => m.name === 'vae');
  return p.job === 'main' || (p.job === 'compare' && p.model === 'vae' && p.state === 'done');
}
