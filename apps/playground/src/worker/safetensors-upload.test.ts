// An uploaded .safetensors model, on real Files (Node's) and the cpu backend: its size is checked before a byte is
// read, a damaged file gets one readable line, and PyTorch's pytorch/examples VAE becomes a job whose plots render.
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDataset } from '@latentlab/data';
import { Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadData, type PreparedData } from './datasets.js';
import { ModelFileError } from './model-file-error.js';
import { plotsFor } from './plots.js';
import { importedJob, importedMessage, readSafetensorsUpload, SAFETENSORS_LEAD } from './safetensors-upload.js';
import { UPLOAD_LIMITS } from './uploads.js';

const FIXTURE = fileURLToPath(
  new URL('../../../../packages/interop/fixtures/pytorch-examples-vae/model.safetensors', import.meta.url),
);
const fixtureBytes = () => readFileSync(FIXTURE);

/** A real File that counts how often its contents (or a slice of them) are read. */
class CountingFile extends File {
  reads = 0;
  override slice(start?: number, end?: number, type?: string): Blob {
    this.reads++;
    return super.slice(start, end, type);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return super.arrayBuffer();
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** MNIST-shaped data (784 features, 28 × 28 images) of 16 rows in [0, 1). */
function mnistShaped(): PreparedData {
  const n = 16;
  const d = 784;
  const x = Float32Array.from({ length: n * d }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const dataset = createDataset({ name: 'mnist-shaped', x, shape: [n, d], labels });
  const train = { dataset, n, all: dataset };
  return {
    name: 'mnist-shaped',
    train,
    training: async () => train,
    trainNoun: 'the 16 training rows',
    test: dataset,
    heldOut: 'the 16 rows',
    testNoun: 'held-out rows',
    imageShape: [28, 28],
    nTest: n,
    d,
    classNames: null,
    featureNames: [],
    plotFeatures: [0, 1],
  };
}

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

describe('readSafetensorsUpload', () => {
  it('refuses a file over maxBytes from its size, without reading a byte', async () => {
    const bytes = fixtureBytes();
    const file = new CountingFile([bytes], 'big.safetensors');
    const error = await rejection(readSafetensorsUpload(file, bytes.byteLength - 1));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toBe(
      `${SAFETENSORS_LEAD}: big.safetensors holds ${bytes.byteLength} bytes, more than the ${bytes.byteLength - 1} (${((bytes.byteLength - 1) / 2 ** 20).toFixed(1)} MiB) allowed.`,
    );
    expect(file.reads).toBe(0);
    // At exactly the limit it is read.
    const ok = await readSafetensorsUpload(new File([bytes], 'ok.safetensors'), bytes.byteLength);
    ok.model.dispose();
  });

  it('checks against the documented default limit of 256 MiB', async () => {
    expect(UPLOAD_LIMITS.safetensorsBytes).toBe(256 * 1024 * 1024);
    // A file whose size is one byte over the default and whose contents cannot be read at all.
    const unreadable = {
      name: 'huge.safetensors',
      size: 256 * 1024 * 1024 + 1,
      slice: () => {
        throw new Error('read');
      },
      arrayBuffer: () => Promise.reject(new Error('read')),
    } as unknown as File;
    const error = await rejection(readSafetensorsUpload(unreadable));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(
      'huge.safetensors holds 268435457 bytes, more than the 268435456 (256 MiB) allowed',
    );
  });

  it('refuses a truncated copy with one line naming the file, leaking no tensor', async () => {
    const bytes = fixtureBytes();
    const before = tf.memory().numTensors;
    const error = await rejection(
      readSafetensorsUpload(new File([bytes.subarray(0, bytes.byteLength - 1000)], 'cut.safetensors')),
    );
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message.startsWith(`${SAFETENSORS_LEAD}: cut.safetensors is damaged`)).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(tf.memory().numTensors).toBe(before);
  });

  it("imports PyTorch's pytorch/examples VAE and renders every plot of the train view from it", async () => {
    const before = tf.memory().numTensors;
    const imported = await readSafetensorsUpload(new File([fixtureBytes()], 'model.safetensors'));
    expect(imported.model).toBeInstanceOf(Vae);
    expect(imported.layout).toBe('pytorch-examples-vae');
    const job = importedJob(imported, mnistShaped());
    expect(job.kind).toBe('vae');
    expect(job.settings.latentDim).toBe(20); // fc21: [20, 400]
    expect(job.state).toBe('done');
    expect(importedMessage(imported, job)).toBe(
      'Loaded VAE 784 → 20 (pytorch/examples vae/main.py) from model.safetensors on mnist-shaped.',
    );
    const plots = await plotsFor(job);
    for (const key of ['scatter', 'reconstructions', 'samples', 'manifold'] as const) expect(plots[key]).toBeDefined();
    job.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model whose input size is not the data’s, saying both, and disposes it', async () => {
    const moons = await loadData('two-moons');
    const before = tf.memory().numTensors;
    const imported = await readSafetensorsUpload(new File([fixtureBytes()], 'model.safetensors'));
    let error: Error | undefined;
    try {
      importedJob(imported, moons);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error?.message).toBe(
      `${SAFETENSORS_LEAD}: model.safetensors holds a VAE for 784 input features, the current data (two-moons) has 2: load data of that size first.`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
