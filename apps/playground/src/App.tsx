/**
 * The page: the header's backend picker, the sidebar (data, model settings, run controls, save and load) and the
 * views (results, compare, explorer) in tabs. Its state lives in one reducer (`state/reducer.ts`) fed by the
 * worker's events and the user's actions; this component only wires them and posts requests to the worker.
 */
import { useReducer } from 'react';
import { emitExplorerEvent, isExplorerEvent } from './explorer/bus.js';
import type { BackendChoice, DatasetChoice, TrainSettings, WorkerEvent } from './protocol.js';
import { settingsWarnings } from './state/fields.js';
import { canStart, hasCurrentModel, initialState, isTraining, reduce, waitingFor } from './state/reducer.js';
import { BackendBar } from './ui/BackendBar.js';
import { CompareView } from './ui/CompareView.js';
import { DataPanel } from './ui/DataPanel.js';
import { ExplorerSlot } from './ui/ExplorerSlot.js';
import { LearnView } from './ui/LearnView.js';
import { NoticeBar } from './ui/NoticeBar.js';
import { WorkerLink } from './ui/Plot.js';
import { ProgressLine } from './ui/ProgressLine.js';
import { RunControls } from './ui/RunControls.js';
import { SavePanel } from './ui/SavePanel.js';
import { SettingsForm } from './ui/SettingsForm.js';
import { Tabs } from './ui/Tabs.js';
import { TrainView } from './ui/TrainView.js';
import { downloadFile, useWorker } from './ui/use-worker.js';

export function App() {
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState());
  const send = useWorker((event: WorkerEvent) => {
    if (isExplorerEvent(event)) return emitExplorerEvent(event); // the Explorer tab's own stream (src/explorer/bus.ts)
    if (event.type === 'download') {
      downloadFile(`${event.baseName}.json`, event.json, 'application/json');
      downloadFile(`${event.baseName}.weights.bin`, event.weights, 'application/octet-stream');
    }
    dispatch(event);
  });

  const training = isTraining(state);
  const isImage = state.summary?.imageShape != null;
  const p = state.progress;
  const runInProgress = p !== null && p.state !== 'done';

  const chooseBackend = (backend: BackendChoice) => {
    dispatch({ type: 'ui/switch-backend', backend });
    send({ type: 'setBackend', backend });
  };
  const chooseDataset = (dataset: DatasetChoice, file?: File) => {
    if (dataset === 'csv' && !file) {
      dispatch({ type: 'ui/dataset', dataset });
      send({ type: 'clearData' });
      return;
    }
    dispatch({ type: 'ui/dataset', dataset, ...(file ? { fileName: file.name } : {}) });
    send({ type: 'loadData', dataset, ...(file ? { file, labelColumn: state.labelColumn } : {}) });
  };
  const start = (kind: 'train' | 'compare') => {
    dispatch({ type: 'ui/start', kind });
    send({ type: kind, settings: state.settings satisfies TrainSettings });
  };
  const pick = (px: number, py: number) => {
    const axes = state.plots.main?.axes;
    if (!axes) return;
    const z = [(px - axes.bx) / axes.ax, (py - axes.by) / axes.ay];
    send({ type: 'decode', z });
    const previous = state.picks.at(-1);
    if (previous) send({ type: 'interpolate', a: previous.z, b: z });
    dispatch({ type: 'ui/pick', pick: { z, x: px, y: py } });
  };

  return (
    <WorkerLink.Provider value={send}>
      <div className="app">
        <BackendBar backend={state.backend} switching={state.switching} onChoose={chooseBackend} />
        <aside>
          <DataPanel
            dataset={state.dataset}
            labelColumn={state.labelColumn}
            summary={state.summary}
            busy={state.busy}
            trainingFailed={state.trainingFailed}
            onDataset={chooseDataset}
            onLabelColumn={(value) => dispatch({ type: 'ui/label-column', value })}
            onRetryTraining={() => {
              dispatch({ type: 'ui/retry-training' });
              send({ type: 'loadTraining' });
            }}
          />
          <SettingsForm
            settings={state.settings}
            isImage={isImage}
            warnings={state.summary?.n ? settingsWarnings(state.settings, state.summary.n) : []}
            onModel={(model) => dispatch({ type: 'ui/model', model })}
            onSetting={(key, value) => dispatch({ type: 'ui/setting', key, value })}
          />
          <RunControls
            canStart={canStart(state)}
            waitingFor={waitingFor(state)}
            training={training}
            resumable={p?.job === 'main' && p.state === 'paused'}
            runInProgress={runInProgress}
            onStart={start}
            onPause={() => send({ type: 'pause' })}
            onResume={() => send({ type: 'resume' })}
          />
          <SavePanel hasModel={hasCurrentModel(state)} training={training} send={send} />
        </aside>
        <main>
          <NoticeBar notice={state.notice} onDismiss={() => dispatch({ type: 'ui/dismiss' })} />
          <ProgressLine progress={state.progress} busy={state.busy} />
          <Tabs view={state.view} onView={(view) => dispatch({ type: 'ui/view', view })} />
          {state.view === 'train' && <TrainView state={state} onPick={pick} />}
          {state.view === 'compare' && (
            <CompareView plots={state.plots} shipped={state.showingShipped ? state.shipped : []} />
          )}
          {state.view === 'explorer' && <ExplorerSlot send={send} />}
          {state.view === 'learn' && (
            <LearnView state={state} send={send} onTry={(settings) => dispatch({ type: 'ui/learn-try', settings })} />
          )}
        </main>
      </div>
    </WorkerLink.Provider>
  );
}
