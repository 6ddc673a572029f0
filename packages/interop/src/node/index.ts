/// <reference types="node" />
/**
 * Node-only additions of `@latentlab/interop`: safetensors and tfjs Layers models from paths, exports written
 * atomically, and `importRun` (a run directory for `latentlab eval` / `sample` / `report`).
 *
 * @example
 * import { Vae } from '@latentlab/models';
 * import { importRun, writeModelSafetensors } from '@latentlab/interop/node';
 * await writeModelSafetensors(new Vae({ inputShape: [4], hiddenUnits: [3], latentDim: 2 }), 'vae.safetensors');
 * await importRun('vae.safetensors', 'runs/vae');
 */
export type { RunInfo } from '@latentlab/models/node';
export { type ImportRunOptions, importRun } from './import-run.js';
export { readSafetensorsFile } from './read-file.js';
export { MAX_MODEL_JSON_BYTES, readTfjsLayersModel } from './read-tfjs-layers.js';
export { writeModelSafetensors } from './write-file.js';
