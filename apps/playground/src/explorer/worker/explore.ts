/**
 * The worker's side of the explorer: encodes every example with the current model in chunks of
 * {@link CHUNK} rows, streaming each chunk to the page (codes, per-example loss and KL, labels, image bytes),
 * and answers decode / reconstruct requests. Between chunks it yields to the worker's event loop, so decode
 * requests and training controls are handled while a 70 000-example encoding runs.
 *
 * It shows every example of the data set: the whole training split followed by the held-out part (for MNIST all
 * 70 000 digits, 60 000 train + 10 000 test, also when `?trainRows` trains on fewer), both kept as the data set
 * stores them (bytes for images). The worker waits for an image set's training split before it asks for this.
 */
import type { Dataset } from '@latentlab/data';
import { Pca } from '@latentlab/models';
import { reshape, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { classifyTrainingFailure } from '../../worker/classify.js';
import type { CurrentData } from '../../worker/current-data.js';
import { trainingPart } from '../../worker/datasets.js';
import type { Job } from '../../worker/job.js';
import { take } from '../../worker/read-tensor.js';
import type { ExplorerEvent, ExplorerRequest, ExplorerSource } from '../protocol.js';
import { perExample } from './per-example.js';

/** Rows encoded per chunk: small enough that one chunk takes a few tens of ms in the worker. */
export const CHUNK = 2000;

/** One block of examples: features in model space come from `x` ([n, d] float32 or 0…255 bytes). */
interface Block {
  name: string;
  n: number;
  d: number;
  x: Float32Array | Uint8Array;
  labels: Int32Array | Uint8Array | null;
}

function blockOf(part: Dataset, name: string, d: number): Block {
  return { name, n: part.shape[0]!, d, x: part.x, labels: part.labels ?? null };
}

/** Every training example (also those `?trainRows` left out of training), then every held-out one. */
function blocksOf(job: Job): Block[] {
  const { test, d, imageShape } = job.data;
  return [blockOf(trainingPart(job.data).all, 'train', d), blockOf(test, imageShape ? 'test' : 'held-out', d)];
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Rows [from, to) of a block as float32 model inputs (bytes scaled to [0, 1]) and as bytes for display. */
function rows(block: Block, from: number, to: number, image: boolean): { x: Float32Array; bytes: Uint8Array | null } {
  const src = block.x.subarray(from * block.d, to * block.d);
  if (src instanceof Uint8Array)
    return { x: Float32Array.from(src, (v) => v / 255), bytes: image ? src.slice() : null };
  return { x: src, bytes: image ? Uint8Array.from(src, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)) : null };
}

/** Encodes every example of the job's data and streams the chunks through `post`. */
export async function encodeAll(
  job: Job,
  post: (event: ExplorerEvent, transfer?: Transferable[]) => void,
): Promise<void> {
  const start = performance.now();
  const blocks = blocksOf(job);
  const image = job.data.imageShape !== null;
  const n = blocks.reduce((s, b) => s + b.n, 0);
  const sources: ExplorerSource[] = blocks.map((b) => ({ name: b.name, n: b.n }));
  const hasKl = job.kind === 'vae';
  post({
    type: 'explorer.start',
    n,
    latentDim: job.settings.latentDim,
    imageShape: job.data.imageShape,
    classNames: job.data.classNames,
    sources,
    hasKl,
  });
  let offset = 0;
  for (const block of blocks) {
    for (let from = 0; from < block.n; from += CHUNK) {
      const to = Math.min(block.n, from + CHUNK);
      const { x, bytes } = rows(block, from, to, image);
      const xT = tensor2d(x, [to - from, block.d]);
      let out: Awaited<ReturnType<typeof perExample>>;
      try {
        out = await perExample(job.model, xT, image);
      } finally {
        xT.dispose();
      }
      const labels = block.labels
        ? Int32Array.from(block.labels.subarray(from, to))
        : new Int32Array(to - from).fill(-1);
      const transfer: Transferable[] = [out.z.buffer, labels.buffer, out.loss.buffer];
      if (out.kl) transfer.push(out.kl.buffer);
      if (bytes) transfer.push(bytes.buffer);
      post({ type: 'explorer.chunk', offset, z: out.z, labels, loss: out.loss, kl: out.kl, images: bytes }, transfer);
      offset += to - from;
      await yieldToEvents();
    }
  }
  post({ type: 'explorer.done', n, ms: performance.now() - start });
}

/** Decodes z (any length; missing dimensions 0, extra ones dropped) to grey levels 0…255. */
export async function decodeToBytes(job: Job, z: number[]): Promise<Uint8Array> {
  const k = job.settings.latentDim;
  const code = Float32Array.from({ length: k }, (_, i) => (Number.isFinite(z[i]) ? z[i]! : 0));
  const values = await take(tidy(() => reshape(job.model.decode(tensor2d(code, [1, k])), [-1])));
  return Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** decode(encode(x)) of example `index` of the explorer's data. */
export async function reconstructToBytes(job: Job, index: number): Promise<Uint8Array> {
  const blocks = blocksOf(job);
  let i = index;
  for (const block of blocks) {
    if (i < block.n) {
      const { x } = rows(block, i, i + 1, false);
      const code = await take(tidy(() => job.model.encode(tensor2d(x, [1, block.d]))));
      return decodeToBytes(job, Array.from(code));
    }
    i -= block.n;
  }
  throw new RangeError(`explorer.reconstruct: index ${index} is outside 0…${index - i - 1}`);
}

/** Handles one explorer request against the current job (null: nothing trained yet). */
export async function handleExplorer(
  request: ExplorerRequest,
  job: Job | null,
  post: (event: ExplorerEvent, transfer?: Transferable[]) => void,
): Promise<void> {
  if (!job || (job.model instanceof Pca && job.state !== 'done')) {
    if (request.type === 'explorer.encode') post({ type: 'explorer.error', message: 'Train or load a model first.' });
    else post({ type: 'explorer.image', id: request.id, pixels: null, message: 'no model' });
    return;
  }
  switch (request.type) {
    case 'explorer.encode':
      return encodeAll(job, post);
    case 'explorer.decode': {
      const pixels = await decodeToBytes(job, request.z);
      return post({ type: 'explorer.image', id: request.id, pixels }, [pixels.buffer]);
    }
    case 'explorer.reconstruct': {
      const pixels = await reconstructToBytes(job, request.index);
      return post({ type: 'explorer.image', id: request.id, pixels }, [pixels.buffer]);
    }
  }
}

/**
 * Handles one explorer request against the current model (`currentJob()`: the worker's main job, else the compare
 * view's last; read after any wait, since a model may be replaced meanwhile). An encoding shows every training and
 * held-out example, so while the current data's training split loads it waits for it, and says so
 * (`explorer.waiting`); a failed load ends it with `explorer.error`, worded as the Train view words it.
 */
export async function exploreCurrent(
  request: ExplorerRequest,
  current: CurrentData,
  currentJob: () => Job | null,
  post: (event: ExplorerEvent, transfer?: Transferable[]) => void,
): Promise<void> {
  const d = current.data;
  if (request.type === 'explorer.encode' && d && !d.train) {
    post({ type: 'explorer.waiting', message: `Waiting for ${d.trainNoun} to load…` });
    try {
      await current.withTraining();
    } catch (error) {
      post({ type: 'explorer.error', message: classifyTrainingFailure(error).message });
      return;
    }
  }
  return handleExplorer(request, currentJob(), post);
}
