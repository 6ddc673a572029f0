import { describe, expect, it } from 'vitest';
import type { DataSummary, Progress, ShippedModelInfo, WorkerEvent } from '../protocol.js';
import { type Action, canStart, hasCurrentModel, initialState, isTraining, reduce, waitingFor } from './reducer.js';

const mnist: DataSummary = {
  name: 'mnist-train',
  n: 60_000,
  trainingPending: null,
  d: 784,
  imageShape: [28, 28],
  classes: 10,
  nTest: 10_000,
  heldOut: 'the 10,000 test digits',
};
const progress = (p: Partial<Progress>): Progress => ({
  job: 'main',
  model: 'vae',
  state: 'training',
  step: 1,
  epoch: 0,
  epochs: 5,
  stepsPerEpoch: 10,
  loss: 1,
  reconstruction: 1,
  kl: 0,
  testLoss: null,
  testEpoch: null,
  klWeight: 0.1,
  beta: 1,
  klWarmupSteps: 10,
  backend: 'wasm',
  msPerStep: {},
  ...p,
});
const plot = { width: 10, height: 10, title: 't', draws: 1 };
const run = (...actions: Action[]) => actions.reduce(reduce, initialState());

describe('reduce', () => {
  it('is busy until data arrives, then Train is enabled', () => {
    expect(canStart(initialState())).toBe(false);
    expect(canStart(run({ type: 'data', summary: mnist }))).toBe(true);
  });

  it('while the training split loads the figures are drawn and Train waits, saying for what; then it starts', () => {
    const testOnly: DataSummary = { ...mnist, n: null, trainingPending: 'the 60,000 training digits' };
    const waiting = run({ type: 'data', summary: testOnly }, { type: 'plots', job: 'main', plots: { scatter: plot } });
    expect(canStart(waiting)).toBe(false);
    expect(waitingFor(waiting)).toBe('the 60,000 training digits');
    const ready = reduce(waiting, { type: 'trainingLoaded', summary: mnist });
    expect(canStart(ready)).toBe(true);
    expect(waitingFor(ready)).toBeNull();
    expect(ready.plots).toBe(waiting.plots); // the figures drawn meanwhile stay
    expect(ready.summary?.n).toBe(60_000);
  });

  it('a training split that failed to load: Train stays off, the wait is no longer claimed, and a retry waits again', () => {
    const testOnly: DataSummary = { ...mnist, n: null, trainingPending: 'the 60,000 training digits' };
    const waiting = reduce(reduce(initialState(), { type: 'data', summary: testOnly }), { type: 'trainingFailed' });
    expect(waiting.trainingFailed).toBe(true);
    expect(canStart(waiting)).toBe(false);
    expect(waitingFor(waiting)).toBeNull(); // the data panel says it did not load, and offers to load it again
    const retrying = reduce(waiting, { type: 'ui/retry-training' });
    expect(retrying.trainingFailed).toBe(false);
    expect(waitingFor(retrying)).toBe('the 60,000 training digits');
    const ready = reduce(retrying, { type: 'trainingLoaded', summary: mnist });
    expect(canStart(ready)).toBe(true);
    // New data forgets an earlier failure.
    expect(reduce(waiting, { type: 'data', summary: testOnly }).trainingFailed).toBe(false);
  });

  it('a dataset switch while the training split loads: Train waits for the new data, not for the old split', () => {
    const testOnly: DataSummary = { ...mnist, n: null, trainingPending: 'the 60,000 training digits' };
    const switching = run({ type: 'data', summary: testOnly }, { type: 'ui/dataset', dataset: 'fashion-mnist' });
    expect(canStart(switching)).toBe(false);
    expect(waitingFor(switching)).toBeNull(); // the busy line says what loads
    expect(switching.busy).toContain('Fashion-MNIST');
  });

  it('an invalid setting disables Train until it is corrected', () => {
    const bad = run({ type: 'data', summary: mnist }, { type: 'ui/setting', key: 'epochs', value: 0 });
    expect(canStart(bad)).toBe(false);
    expect(canStart(reduce(bad, { type: 'ui/setting', key: 'epochs', value: 2 }))).toBe(true);
  });

  it('new data clears every plot, pick and the progress of the previous model', () => {
    const before = run(
      { type: 'data', summary: mnist },
      { type: 'progress', progress: progress({}) },
      { type: 'plots', job: 'main', plots: { scatter: plot } },
      { type: 'ui/pick', pick: { z: [0, 0], x: 1, y: 1 } },
      { type: 'decoded', kind: 'point', plot },
    );
    const after = reduce(before, { type: 'data', summary: { ...mnist, name: 'two-moons' } });
    expect(after.plots).toEqual({});
    expect(after.progress).toBeNull();
    expect(after.picks).toEqual([]);
    expect(after.decoded).toBeUndefined();
    expect(after.summary?.name).toBe('two-moons');
  });

  it('"CSV file…" without a file forgets the previous data and disables Train', () => {
    const state = run(
      { type: 'data', summary: mnist },
      { type: 'plots', job: 'main', plots: { scatter: plot } },
      { type: 'ui/dataset', dataset: 'csv' },
    );
    expect(state.summary).toBeNull();
    expect(state.plots).toEqual({});
    expect(canStart(state)).toBe(false);
    // The figures of the old model, sent before the worker heard of the change, arrive late: they stay out.
    expect(reduce(state, { type: 'plots', job: 'main', plots: { scatter: plot } }).plots).toEqual({});
    expect(reduce(state, { type: 'plots', job: 'shipped-vae', plots: { scatter: plot } }).plots).toHaveProperty(
      'shipped-vae',
    );
    const loading = reduce(state, { type: 'ui/dataset', dataset: 'csv', fileName: 'iris.csv' });
    expect(loading.busy).toBe('Loading iris.csv…');
  });

  it('keeps the last two picks (A and B)', () => {
    const picks = [1, 2, 3].map((i): Action => ({ type: 'ui/pick', pick: { z: [i, i], x: i, y: i } }));
    expect(run(...picks).picks.map((p) => p.z[0])).toEqual([2, 3]);
  });

  it('an error becomes a titled notice and ends a backend switch', () => {
    const error: WorkerEvent = { type: 'error', kind: 'csv', message: 'line 3: not a number' };
    const state = run({ type: 'ui/switch-backend', backend: 'webgl' }, error);
    expect(state.notice).toEqual({ kind: 'error', title: 'Bad CSV file', text: 'line 3: not a number' });
    expect(state.switching).toBeNull();
    expect(reduce(state, { type: 'ui/dismiss' }).notice).toBeNull();
  });

  it('a finished comparison leaves its VAE as the current model; a running one does not', () => {
    expect(hasCurrentModel(run({ type: 'progress', progress: progress({ job: 'compare', model: 'pca' }) }))).toBe(
      false,
    );
    const done = run({ type: 'progress', progress: progress({ job: 'compare', model: 'vae', state: 'done' }) });
    expect(hasCurrentModel(done)).toBe(true);
    expect(isTraining(done)).toBe(false);
    expect(isTraining(run({ type: 'progress', progress: progress({ state: 'switching' }) }))).toBe(true);
  });

  it('the shipped VAE is the current model while the views show it, and not once the data is cleared', () => {
    const vae = { name: 'vae' } as ShippedModelInfo;
    const shown = run({ type: 'shipped', models: [{ name: 'pca' } as ShippedModelInfo, vae] });
    expect(hasCurrentModel(shown)).toBe(true);
    expect(hasCurrentModel(run({ type: 'shipped', models: [{ name: 'pca' } as ShippedModelInfo] }))).toBe(false);
    expect(hasCurrentModel({ ...shown, showingShipped: false })).toBe(false);
  });

  it('a restored run brings its settings and opens the lab', () => {
    const settings = { ...initialState().settings, latentDim: 8 };
    const state = run({ type: 'ui/view', view: 'compare' }, { type: 'restored', settings, message: 'VAE at step 3' });
    expect(state.settings.latentDim).toBe(8);
    expect(state.view).toBe('train');
    expect(state.notice).toEqual({ kind: 'info', title: '', text: 'VAE at step 3' }); // no "Loaded. Loaded …"
  });

  it('the shipped models are shown until a run starts, data changes or a run is restored', () => {
    const vae = {
      name: 'vae' as const,
      commands: ['latentlab train --model vae'],
      epochs: 10,
      seed: 0,
      testExamples: 10_000,
      testLoss: 150,
      testReconstruction: 145,
      testKl: 5,
      testReconstructionMse: 0.03,
      trainHistory: [],
    };
    const shown = run({ type: 'data', summary: mnist }, { type: 'shipped', models: [vae] });
    expect(shown.showingShipped).toBe(true);
    expect(shown.shipped).toEqual([vae]);
    expect(reduce(shown, { type: 'ui/start', kind: 'train' }).showingShipped).toBe(false);
    expect(reduce(shown, { type: 'ui/start', kind: 'compare' }).showingShipped).toBe(false);
    expect(reduce(shown, { type: 'data', summary: mnist }).showingShipped).toBe(false);
    const settings = initialState().settings;
    expect(reduce(shown, { type: 'restored', settings, message: 'm' }).showingShipped).toBe(false);
    expect(reduce(shown, { type: 'ui/view', view: 'compare' }).showingShipped).toBe(true);
  });

  it('"Train it yourself" puts a Learn step\'s settings in the lab and opens it; new data keeps the Learn figures', () => {
    const state = run(
      { type: 'ui/view', view: 'learn' },
      { type: 'ui/learn-try', settings: { model: 'pca', latentDim: 2 } },
    );
    expect(state.view).toBe('train');
    expect(state.settings).toEqual({ ...initialState().settings, model: 'pca', latentDim: 2 });
    const withPlots = run(
      { type: 'plots', job: 'shipped-pca', plots: { scatter: plot } },
      { type: 'plots', job: 'main', plots: { scatter: plot } },
      { type: 'learnDecoded', model: 'pca', plot },
      { type: 'data', summary: mnist },
    );
    expect(Object.keys(withPlots.plots)).toEqual(['shipped-pca']);
    expect(withPlots.learnDecoded.pca).toEqual(plot);
  });
});
