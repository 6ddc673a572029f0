/**
 * An uploaded `.safetensors` model (PyTorch's pytorch/examples VAE, pythae's VAE/AE, a Latentlab export, a
 * scikit-learn PCA: whatever `importSafetensors` of `@latentlab/interop` detects) becomes the playground's current
 * model. The file is hostile until checked: its size (`File.size`) is checked against
 * {@link UPLOAD_LIMITS}`.safetensorsBytes` before a byte is read; then `readSafetensorsFrom` reads the 8-byte
 * length, checks the header, and only then reads the data; then the tensors are checked against the layout. Any
 * failure is a {@link ModelFileError} with one readable line naming the file. The model's input size must be the
 * current data's number of features (784 for MNIST).
 *
 * @example
 * ```ts
 * const imported = await readSafetensorsUpload(file); // ModelFileError "… holds 300000000 bytes, more than …"
 * const job = importedJob(imported, data);           // ModelFileError when the sizes differ; else a 'done' Job
 * ```
 */
import { LatentlabError } from '@latentlab/core';
import { detectLayout, importSafetensors, readSafetensorsFrom, type SafetensorsLayout } from '@latentlab/interop';
import { type Autoencoder, Pca, Vae } from '@latentlab/models';
import { DEFAULT_SETTINGS, MODEL_LABELS, type ModelKind, type TrainSettings } from '../protocol.js';
import type { PreparedData } from './datasets.js';
import { Job } from './job.js';
import { ModelFileError } from './model-file-error.js';
import { inMiB, UPLOAD_LIMITS } from './uploads.js';

/** The first words of every message about an uploaded `.safetensors` file. */
export const SAFETENSORS_LEAD = 'This safetensors file cannot be loaded';

/** What an uploaded safetensors file held. */
export interface ImportedModel {
  model: Vae | Autoencoder | Pca;
  /** The file's name, for messages. */
  name: string;
  layout: SafetensorsLayout | null;
}

const LAYOUT_LABELS: Readonly<Record<SafetensorsLayout, string>> = {
  latentlab: 'Latentlab export',
  'pytorch-examples-vae': 'pytorch/examples vae/main.py',
  'pythae-vae': 'pythae VAE',
  'pythae-ae': 'pythae AE',
  pca: 'scikit-learn PCA',
};

const refuse = (what: string) => new ModelFileError(what, SAFETENSORS_LEAD);

/**
 * Reads and imports an uploaded `.safetensors` file: refused from its size alone when it holds more than
 * `maxBytes` (nothing read), from its header when that is malformed (the data not read), and from its tensors when
 * they do not form a known layout. The caller owns the returned model.
 */
export async function readSafetensorsUpload(
  file: File,
  maxBytes = UPLOAD_LIMITS.safetensorsBytes,
): Promise<ImportedModel> {
  if (file.size > maxBytes)
    throw refuse(`${file.name} holds ${file.size} bytes, more than the ${maxBytes} (${inMiB(maxBytes)}) allowed`);
  try {
    const contents = await readSafetensorsFrom(file, { maxBytes });
    return { model: importSafetensors(contents), name: file.name, layout: detectLayout(contents) };
  } catch (error) {
    // SafetensorsFormatError (a damaged or truncated file) and ModelFormatError (unknown tensors) are both
    // LatentlabErrors whose message says what was expected and what was found.
    if (error instanceof LatentlabError)
      throw refuse(`${file.name} is damaged or not a model we know (${error.message})`);
    throw error;
  }
}

/** The kind, input size and latent size of an imported model. */
function describe(model: Vae | Autoencoder | Pca): { kind: ModelKind; inputs: number; latentDim: number } {
  if (model instanceof Pca) return { kind: 'pca', inputs: model.mean.shape[0], latentDim: model.nComponents };
  const inputs = model.inputSize;
  const latentDim = model.config.latentDim;
  if (model instanceof Vae) return { kind: 'vae', inputs, latentDim };
  return { kind: model.config.architecture === 'linear' ? 'linear-ae' : 'deep-ae', inputs, latentDim };
}

/**
 * A finished job around an imported model for the current data, so every plot of the train view renders from it
 * (latent scatter, reconstructions, prior samples, decoded grid). The model must take `data.d` features; otherwise
 * it is disposed and a {@link ModelFileError} says both sizes. The job owns the model.
 */
export function importedJob({ model, name }: ImportedModel, data: PreparedData): Job {
  const { kind, inputs, latentDim } = describe(model);
  if (inputs !== data.d) {
    model.dispose();
    throw refuse(
      `${name} holds a ${MODEL_LABELS[kind]} for ${inputs} input features, the current data (${data.name}) has ${data.d}: load data of that size first`,
    );
  }
  const settings: TrainSettings = { ...DEFAULT_SETTINGS, model: kind, latentDim, epochs: 1, klWarmupSteps: 0 };
  if (model instanceof Vae) {
    settings.beta = model.config.beta;
    if (typeof model.config.decoderVariance === 'number') settings.lossWeightC = 1 / (2 * model.config.decoderVariance);
  }
  const job = new Job(settings, data, model);
  job.epoch = settings.epochs;
  job.state = 'done';
  return job;
}

/** The one-line message for a loaded import, e.g. "Loaded VAE 784 → 20 (pytorch/examples vae/main.py) from …". */
export function importedMessage(imported: ImportedModel, job: Job): string {
  const source = imported.layout ? ` (${LAYOUT_LABELS[imported.layout]})` : '';
  return `Loaded ${MODEL_LABELS[job.kind]} ${job.data.d} → ${job.settings.latentDim}${source} from ${imported.name} on ${job.data.name}.`;
}
