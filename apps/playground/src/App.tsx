import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { emitExplorerEvent, isExplorerEvent } from './explorer/bus.js';
import { ExplorerTab } from './explorer/ExplorerTab.js';
import {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendStatus,
  DATASET_LABELS,
  type DataSummary,
  type DatasetChoice,
  DEFAULT_SETTINGS,
  MODEL_LABELS,
  type ModelKind,
  type PlotInfo,
  type PlotSet,
  type Progress,
  type Request,
  type TrainSettings,
  type WorkerEvent,
} from './protocol.js';
import { type Marker, Plot, WorkerLink } from './ui/Plot.js';

const BACKEND_LABELS: Record<BackendChoice, string> = { wasm: 'WASM-SIMD', webgl: 'WebGL', cpu: 'CPU' };
const params = new URLSearchParams(globalThis.location.search);
const initialBackend = (BACKEND_CHOICES as readonly string[]).includes(params.get('backend') ?? '')
  ? (params.get('backend') as BackendChoice)
  : 'wasm';

interface Notice {
  kind: 'error' | 'info';
  title: string;
  text: string;
}

const ERROR_TITLES: Record<string, string> = {
  csv: 'Bad CSV file',
  backend: 'Backend unavailable',
  memory: 'Out of memory',
  'model-file': 'Bad model file',
  data: 'Data could not be loaded',
  training: 'Training failed',
  other: 'Something went wrong',
};

function useWorker(onEvent: (event: WorkerEvent) => void) {
  const worker = useRef<Worker | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const w = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<WorkerEvent>) => handler.current(event.data);
    w.onerror = (event) =>
      handler.current({ type: 'error', kind: 'other', message: event.message || 'the worker failed to start' });
    w.postMessage({
      type: 'init',
      backend: initialBackend,
      threads: params.get('threads') !== '0',
      pixelRatio: globalThis.devicePixelRatio || 1,
    } satisfies Request);
    worker.current = w;
    return () => w.terminate();
  }, []);
  return useCallback(
    (request: Request, transfer: Transferable[] = []) => worker.current?.postMessage(request, transfer),
    [],
  );
}

function NumberField({
  label,
  value,
  onChange,
  step,
  min,
  max,
  hint,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  step: number;
  min: number;
  max?: number;
  hint?: string;
}) {
  return (
    <label className="field" title={hint}>
      <span>{label}</span>
      <input
        type="number"
        value={value}
        step={step}
        min={min}
        max={max}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v) && v >= min && (max === undefined || v <= max)) onChange(v);
        }}
      />
    </label>
  );
}

function downloadFile(name: string, content: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function App() {
  const [backend, setBackend] = useState<BackendStatus | null>(null);
  const [switching, setSwitching] = useState<BackendChoice | null>(null);
  const [summary, setSummary] = useState<DataSummary | null>(null);
  const [dataset, setDataset] = useState<DatasetChoice>('mnist');
  const [labelColumn, setLabelColumn] = useState('');
  const [settings, setSettings] = useState<TrainSettings>({ ...DEFAULT_SETTINGS });
  const [progress, setProgress] = useState<Progress | null>(null);
  const [plots, setPlots] = useState<Record<string, PlotSet>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [view, setView] = useState<'train' | 'compare' | 'explore'>('train');
  const [picks, setPicks] = useState<{ z: number[]; x: number; y: number }[]>([]);
  const [decoded, setDecoded] = useState<PlotInfo | undefined>();
  const [strip, setStrip] = useState<PlotInfo | undefined>();
  const [busy, setBusy] = useState<string | null>('Starting the backend and loading MNIST…');

  const send = useWorker((event) => {
    if (isExplorerEvent(event)) return emitExplorerEvent(event);
    switch (event.type) {
      case 'ready':
        setBackend(event.backend);
        break;
      case 'backend':
        setBackend(event.backend);
        setSwitching(null);
        break;
      case 'data':
        setSummary(event.summary);
        setBusy(null);
        setPlots({});
        setProgress(null);
        setPicks([]);
        break;
      case 'progress':
        setProgress(event.progress);
        setBusy(null);
        break;
      case 'plots':
        setPlots((p) => ({ ...p, [event.job]: event.plots }));
        break;
      case 'decoded':
        if (event.kind === 'point') setDecoded(event.plot);
        else setStrip(event.plot);
        break;
      case 'saved':
        setNotice({ kind: 'info', title: 'Saved', text: event.message });
        break;
      case 'restored':
        setSettings(event.settings);
        setNotice({ kind: 'info', title: 'Loaded', text: event.message });
        setView('train');
        break;
      case 'download':
        downloadFile(`${event.baseName}.json`, event.json, 'application/json');
        downloadFile(`${event.baseName}.weights.bin`, event.weights, 'application/octet-stream');
        break;
      case 'error':
        setNotice({ kind: 'error', title: ERROR_TITLES[event.kind] ?? 'Error', text: event.message });
        setBusy(null);
        setSwitching(null);
        break;
    }
  });

  const training = progress?.state === 'training' || progress?.state === 'switching';
  const set =
    <K extends keyof TrainSettings>(key: K) =>
    (value: TrainSettings[K]) =>
      setSettings((s) => ({ ...s, [key]: value }));
  const main = plots.main ?? {};
  const isImage = summary?.imageShape != null;

  const chooseBackend = (name: BackendChoice) => {
    setSwitching(name);
    setNotice(null);
    send({ type: 'setBackend', backend: name });
  };
  const chooseDataset = (choice: DatasetChoice, file?: File) => {
    setDataset(choice);
    if (choice === 'csv' && !file) return;
    setNotice(null);
    setBusy(`Loading ${file ? file.name : DATASET_LABELS[choice]}…`);
    send({ type: 'loadData', dataset: choice, ...(file ? { file, labelColumn } : {}) });
  };
  const start = (kind: 'train' | 'compare') => {
    setNotice(null);
    setPicks([]);
    setDecoded(undefined);
    setStrip(undefined);
    setView(kind);
    send({ type: kind, settings });
  };
  const pick = (px: number, py: number) => {
    const axes = main.axes;
    if (!axes) return;
    const z = [(px - axes.bx) / axes.ax, (py - axes.by) / axes.ay];
    send({ type: 'decode', z });
    setPicks((prev) => {
      const next = [...prev, { z, x: px, y: py }].slice(-2);
      if (next.length === 2) send({ type: 'interpolate', a: next[0]!.z, b: next[1]!.z });
      return next;
    });
  };
  const markers: Marker[] = useMemo(
    () => picks.map((p, i) => ({ x: p.x, y: p.y, label: i === 0 ? 'A' : 'B' })),
    [picks],
  );

  return (
    <WorkerLink.Provider value={send}>
      <div className="app">
        <header>
          <h1>Latentlab playground</h1>
          <div className="backend" data-testid="backend-bar">
            <span>Backend</span>
            <fieldset className="segmented" aria-label="Backend">
              {BACKEND_CHOICES.map((name) => (
                <button
                  type="button"
                  key={name}
                  aria-pressed={backend?.name === name}
                  className={backend?.name === name ? 'on' : ''}
                  disabled={switching !== null || backend === null}
                  onClick={() => chooseBackend(name)}
                  data-testid={`backend-${name}`}
                >
                  {BACKEND_LABELS[name]}
                </button>
              ))}
            </fieldset>
            <span className="status" data-testid="backend-status" data-backend={backend?.name ?? ''}>
              {switching
                ? `switching to ${BACKEND_LABELS[switching]}…`
                : backend
                  ? `active: ${backend.detail}`
                  : 'starting…'}
            </span>
            <span
              className={backend?.crossOriginIsolated ? 'badge ok' : 'badge'}
              title="SharedArrayBuffer (WASM threads) needs a cross-origin-isolated page"
            >
              {backend?.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated: no WASM threads'}
            </span>
          </div>
          {backend && backend.fallbacks.length > 0 && (
            <ul className="fallbacks" data-testid="fallbacks">
              {backend.fallbacks.map((f) => (
                <li key={f.backend}>
                  {BACKEND_LABELS[f.backend as BackendChoice] ?? f.backend} skipped: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </header>

        <aside>
          <section>
            <h2>Data</h2>
            <select
              value={dataset}
              onChange={(e) => chooseDataset(e.target.value as DatasetChoice)}
              data-testid="dataset"
              aria-label="Dataset"
            >
              {(Object.keys(DATASET_LABELS) as DatasetChoice[]).map((d) => (
                <option key={d} value={d}>
                  {DATASET_LABELS[d]}
                </option>
              ))}
            </select>
            {dataset === 'csv' && (
              <div className="csv">
                <label className="field">
                  <span>Label column (name or index, optional)</span>
                  <input
                    value={labelColumn}
                    onChange={(e) => setLabelColumn(e.target.value)}
                    placeholder="e.g. species or -1"
                  />
                </label>
                <input
                  type="file"
                  accept=".csv,.tsv,text/csv"
                  data-testid="csv-file"
                  aria-label="CSV file"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) chooseDataset('csv', file);
                    e.target.value = '';
                  }}
                />
              </div>
            )}
            <p className="summary" data-testid="data-summary">
              {summary
                ? `${summary.name}: ${summary.n.toLocaleString('en')} × ${summary.d}${summary.classes ? `, ${summary.classes} classes` : ''}`
                : (busy ?? '')}
            </p>
          </section>
          <section>
            <h2>Model</h2>
            <select
              value={settings.model}
              onChange={(e) => set('model')(e.target.value as ModelKind)}
              data-testid="model"
              aria-label="Model"
            >
              {(Object.keys(MODEL_LABELS) as ModelKind[]).map((m) => (
                <option key={m} value={m}>
                  {MODEL_LABELS[m]}
                </option>
              ))}
            </select>
            <NumberField
              label="Latent size"
              value={settings.latentDim}
              onChange={set('latentDim')}
              step={1}
              min={1}
              max={64}
            />
            <NumberField
              label="β (KL weight)"
              value={settings.beta}
              onChange={set('beta')}
              step={0.1}
              min={0}
              max={100}
              hint="VAE only"
            />
            {!isImage && (
              <NumberField
                label="C (Gaussian loss weight)"
                value={settings.lossWeightC}
                onChange={set('lossWeightC')}
                step={0.1}
                min={0.001}
                max={1000}
                hint="VAE on non-image data: C = 1/(2c)"
              />
            )}
            <NumberField
              label="KL warm-up steps"
              value={settings.klWarmupSteps}
              onChange={set('klWarmupSteps')}
              step={50}
              min={0}
            />
            <NumberField
              label="Learning rate"
              value={settings.learningRate}
              onChange={set('learningRate')}
              step={0.0005}
              min={0.00001}
              max={1}
            />
            <NumberField label="Epochs" value={settings.epochs} onChange={set('epochs')} step={1} min={1} max={200} />
            <NumberField
              label="Batch size"
              value={settings.batchSize}
              onChange={set('batchSize')}
              step={16}
              min={8}
              max={1024}
            />
          </section>
          <section className="buttons">
            <button
              type="button"
              className="primary"
              disabled={!summary || busy !== null}
              onClick={() => start('train')}
              data-testid="train"
            >
              Train
            </button>
            {training ? (
              <button type="button" onClick={() => send({ type: 'pause' })} data-testid="pause">
                Pause
              </button>
            ) : (
              <button
                type="button"
                disabled={progress?.job !== 'main' || progress.state !== 'paused'}
                onClick={() => send({ type: 'resume' })}
                data-testid="resume"
              >
                Resume
              </button>
            )}
            <button
              type="button"
              disabled={!summary || busy !== null}
              onClick={() => start('compare')}
              data-testid="compare"
            >
              Compare PCA · AE · VAE
            </button>
          </section>
          <section className="buttons">
            <h2>Save and load</h2>
            <button
              type="button"
              disabled={progress?.job !== 'main' || training}
              onClick={() => send({ type: 'save' })}
              data-testid="save"
            >
              Save in browser
            </button>
            <button type="button" disabled={training} onClick={() => send({ type: 'restore' })} data-testid="restore">
              Load from browser
            </button>
            <button
              type="button"
              disabled={progress?.job !== 'main' || training}
              onClick={() => send({ type: 'download' })}
              data-testid="download"
            >
              Download
            </button>
            <label className="upload">
              Upload (.json + .bin, or .safetensors)
              <input
                type="file"
                multiple
                accept=".json,.bin,.safetensors"
                data-testid="upload"
                onChange={(e) => {
                  const files = [...(e.target.files ?? [])];
                  if (files.length) send({ type: 'upload', files });
                  e.target.value = '';
                }}
              />
            </label>
          </section>
        </aside>

        <main>
          {notice && (
            <div
              className={`notice ${notice.kind}`}
              role={notice.kind === 'error' ? 'alert' : 'status'}
              data-testid={notice.kind === 'error' ? 'error' : 'info'}
            >
              <strong>{notice.title}.</strong> {notice.text}
              <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
          <ProgressLine progress={progress} busy={busy} />
          <nav className="tabs">
            <button
              type="button"
              className={view === 'train' ? 'on' : ''}
              onClick={() => setView('train')}
              data-testid="tab-train"
            >
              Train
            </button>
            <button
              type="button"
              className={view === 'compare' ? 'on' : ''}
              onClick={() => setView('compare')}
              data-testid="tab-compare"
            >
              Compare
            </button>
            <button
              type="button"
              className={view === 'explore' ? 'on' : ''}
              onClick={() => setView('explore')}
              data-testid="tab-explore"
            >
              Explore
            </button>
          </nav>
          {view === 'explore' ? (
            <ExplorerTab send={send} />
          ) : view === 'train' ? (
            <div className="view">
              <Plot
                slot="main.loss"
                plot={main.loss}
                testId="plot-loss"
                placeholder="Loss curves (reconstruction and KL) appear here while training."
              />
              <div className="grid">
                <div>
                  <Plot
                    slot="main.scatter"
                    plot={main.scatter}
                    testId="plot-scatter"
                    onClick={pick}
                    markers={markers}
                  />
                  <p className="hint">
                    Click the latent plane to decode a point; two clicks interpolate between them
                    {settings.latentDim > 2 ? ' (other dimensions 0)' : ''}.
                  </p>
                </div>
                <Plot slot="main.reconstructions" plot={main.reconstructions} testId="plot-reconstructions" />
                <Plot slot="main.samples" plot={main.samples} testId="plot-samples" />
                {isImage && <Plot slot="main.manifold" plot={main.manifold} testId="plot-manifold" />}
                {decoded && <Plot slot="decoded" plot={decoded} testId="plot-decoded" />}
              </div>
              {strip && <Plot slot="interpolation" plot={strip} testId="plot-interpolation" />}
            </div>
          ) : (
            <div className="view compare" data-testid="compare-view">
              <p className="hint">
                The same data and latent size for all three. An autoencoder's codes leave gaps that decode to nonsense;
                the VAE's KL term packs them around N(0, I), so its whole grid decodes to plausible images.
              </p>
              <div className="columns">
                {[0, 1, 2].map((i) => {
                  const job = `compare-${i}`;
                  const set = plots[job];
                  // Image data shows the decoded grid; other data its reconstructions.
                  const grid = set?.manifold ? 'manifold' : 'reconstructions';
                  return (
                    <div key={job} className="column">
                      <Plot
                        slot={`${job}.scatter`}
                        plot={set?.scatter}
                        testId={`compare-scatter-${i}`}
                        placeholder="Waiting…"
                      />
                      <Plot
                        slot={`${job}.${grid}`}
                        plot={set?.[grid]}
                        testId={`compare-grid-${i}`}
                        placeholder="Waiting…"
                      />
                      <Plot
                        slot={`${job}.samples`}
                        plot={set?.samples}
                        testId={`compare-samples-${i}`}
                        placeholder="Waiting…"
                      />
                    </div>
                  );
                })}
              </div>
            </div>
          )}
        </main>
      </div>
    </WorkerLink.Provider>
  );
}

function ProgressLine({ progress, busy }: { progress: Progress | null; busy: string | null }) {
  if (busy) return <p className="progress">{busy}</p>;
  if (!progress) return <p className="progress">Pick a model and press Train.</p>;
  const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  const total = progress.epochs * progress.stepsPerEpoch;
  return (
    <div
      className="progress"
      data-testid="progress"
      data-job={progress.job}
      data-model={progress.model}
      data-step={progress.step}
      data-state={progress.state}
      data-loss={progress.loss ?? ''}
      data-backend={progress.backend}
    >
      <progress max={total} value={Math.min(total, progress.step)} />
      <span>
        {MODEL_LABELS[progress.model]} · {progress.state} · step {progress.step} · epoch{' '}
        {Math.min(progress.epoch + (progress.state === 'done' ? 0 : 1), progress.epochs)}/{progress.epochs} · loss over
        the last 20 steps {fmt(progress.loss)} (reconstruction {fmt(progress.reconstruction)}
        {progress.kl !== null ? `, KL ${fmt(progress.kl)}` : ''})
      </span>
      <span className="timing" data-testid="timing">
        {Object.entries(progress.msPerStep)
          .map(([name, ms]) => `${BACKEND_LABELS[name as BackendChoice]}: ${ms.toFixed(1)} ms/step`)
          .join(' · ') || ''}
      </span>
    </div>
  );
}
