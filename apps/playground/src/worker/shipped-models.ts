/**
 * The pretrained models served with the app (`public/models/`, written by `scripts/train-shipped-models.mjs` with
 * `latentlab train` and `latentlab eval`), so the results and compare views have figures before anything trains.
 * Each model is three same-origin files: `<name>.recipe.json` (the commands, seed, epochs and test metrics),
 * `<name>.model.json` (@latentlab/models' topology and weight manifest) and `<name>.weights.bin`. They are
 * checked like an upload: sizes before parsing, the recipe field by field, the weights' byte length and CRC-32
 * against the recipe, and the model itself by models' `artifactsToModel` (names, shapes, dtypes).
 *
 * @example
 * ```ts
 * const { model, recipe } = await fetchShipped('vae'); // recipe.testLoss: nats per test digit, from latentlab eval
 * ```
 */
import { artifactsToModel, Pca, Vae } from '@latentlab/models';
import { crc32 } from '@latentlab/models/internal';
import type { EpochLoss, ShippedModelInfo, ShippedName } from '../protocol.js';
import { ModelFileError } from './model-file-error.js';
import type { ImportedModel } from './safetensors-upload.js';

/** The first words of every message about a shipped model that cannot be loaded. */
export const SHIPPED_LEAD = 'The pretrained models could not be loaded';

/** Upper bounds on the shipped files (the real ones are ≈ 2 kB, ≈ 3 kB and ≈ 0.8 MB). */
export const SHIPPED_LIMITS = Object.freeze({
  recipeBytes: 256 * 1024,
  modelJsonBytes: 1024 * 1024,
  weightBytes: 16 * 1024 * 1024,
});

const refuse = (what: string) => new ModelFileError(what, SHIPPED_LEAD);

const modelsUrl = (file: string) =>
  new URL(`${import.meta.env.BASE_URL}models/${file}`, (self as { location?: Location }).location?.href).href;

async function fetchBytes(file: string, limit: number): Promise<ArrayBuffer> {
  const response = await fetch(modelsUrl(file));
  if (!response.ok) throw refuse(`${file}: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw refuse(`${file} holds ${declared} bytes, more than the ${limit} allowed`);
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength > limit) throw refuse(`${file} holds ${bytes.byteLength} bytes, more than the ${limit} allowed`);
  return bytes;
}

async function fetchJson(file: string, limit: number): Promise<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(await fetchBytes(file, limit)));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse(`${file} is not an object`);
  return parsed as Record<string, unknown>;
}

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** More epochs than any recipe trains; a longer history is cut (the plot has one point per epoch). */
const MAX_EPOCHS = 1000;

/** The per-epoch losses of an untrusted recipe: entries without a finite `loss` are refused, the rest kept. */
function parseHistory(name: ShippedName, raw: unknown): EpochLoss[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw refuse(`${name}.recipe.json: trainHistory is not a list`);
  return raw.slice(0, MAX_EPOCHS).map((entry, epoch) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const loss = finiteOrNull(e.loss);
    if (loss === null) throw refuse(`${name}.recipe.json: trainHistory[${epoch}].loss is not a finite number`);
    return { loss, reconstruction: finiteOrNull(e.reconstruction), kl: finiteOrNull(e.kl) };
  });
}

/** Reads the fields the page shows from an untrusted recipe: numbers must be finite, strings are cut short. */
export function parseRecipe(
  name: ShippedName,
  raw: Record<string, unknown>,
): ShippedModelInfo & { weightBytes: number; weightCrc32: number } {
  const test = (typeof raw.test === 'object' && raw.test !== null ? raw.test : {}) as Record<string, unknown>;
  const loss = (typeof test.loss === 'object' && test.loss !== null ? test.loss : {}) as Record<string, unknown>;
  const commands = Array.isArray(raw.commands) ? raw.commands.filter((c) => typeof c === 'string') : [];
  const weightBytes = finiteOrNull(raw.weightBytes);
  const weightCrc32 = finiteOrNull(raw.weightCrc32);
  if (weightBytes === null || weightCrc32 === null) throw refuse(`${name}.recipe.json lacks weightBytes / weightCrc32`);
  return {
    name,
    commands: commands.slice(0, 4).map((c) => (c as string).slice(0, 400)),
    epochs: finiteOrNull(raw.epochs),
    seed: finiteOrNull(raw.seed),
    testExamples: finiteOrNull(test.examples),
    testLoss: finiteOrNull(loss.loss),
    testReconstruction: finiteOrNull(loss.reconstruction),
    testKl: finiteOrNull(loss.kl),
    testReconstructionMse: finiteOrNull(test.reconstructionMse),
    trainHistory: parseHistory(name, raw.trainHistory),
    weightBytes,
    weightCrc32,
  };
}

/** Fetches, checks and builds one shipped model; the caller owns `model`. */
export async function fetchShipped(name: ShippedName): Promise<{ imported: ImportedModel; info: ShippedModelInfo }> {
  const { weightBytes, weightCrc32, ...info } = parseRecipe(
    name,
    await fetchJson(`${name}.recipe.json`, SHIPPED_LIMITS.recipeBytes),
  );
  const json = await fetchJson(`${name}.model.json`, SHIPPED_LIMITS.modelJsonBytes);
  const weightData = await fetchBytes(`${name}.weights.bin`, SHIPPED_LIMITS.weightBytes);
  if (weightData.byteLength !== weightBytes)
    throw refuse(`${name}.weights.bin holds ${weightData.byteLength} bytes, its recipe says ${weightBytes}`);
  const found = crc32(new Uint8Array(weightData));
  if (found !== weightCrc32) throw refuse(`${name}.weights.bin is damaged (CRC-32 ${found}, recipe ${weightCrc32})`);
  let model: unknown;
  try {
    ({ model } = await artifactsToModel({
      modelTopology: json.modelTopology as object,
      weightSpecs: json.weightSpecs as never,
      weightData,
    }));
  } catch (error) {
    throw refuse(`${name}.model.json: ${error instanceof Error ? error.message : String(error)}`);
  }
  const expected = name === 'pca' ? Pca : name === 'ae' ? null : Vae;
  const ok = expected === null ? !(model instanceof Pca) && !(model instanceof Vae) : model instanceof expected;
  if (!ok) {
    (model as { dispose?: () => void }).dispose?.();
    throw refuse(`${name}.model.json holds another kind of model`);
  }
  return { imported: { model: model as ImportedModel['model'], name: `${name}.model.json`, layout: null }, info };
}
