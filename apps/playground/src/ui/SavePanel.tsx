import type { Request } from '../protocol.js';

/** Save / load in the browser, download, and upload (a playground run's .json + .bin, or one .safetensors). */
export function SavePanel({
  hasModel,
  training,
  send,
}: {
  hasModel: boolean;
  training: boolean;
  send: (request: Request) => void;
}) {
  return (
    <section className="buttons">
      <h2>Save and load</h2>
      <button type="button" disabled={!hasModel || training} onClick={() => send({ type: 'save' })} data-testid="save">
        Save in browser
      </button>
      <button type="button" disabled={training} onClick={() => send({ type: 'restore' })} data-testid="restore">
        Load from browser
      </button>
      <button
        type="button"
        disabled={!hasModel || training}
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
  );
}
