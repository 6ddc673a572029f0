// Upload checks on real `File`s (Node's): sizes are checked before a byte is read, and every mismatch is refused.
import { CsvFormatError } from '@latentlab/data';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from './model-file-error.js';
import { readCsvUpload, readModelUpload, UPLOAD_LIMITS, weightBytes } from './uploads.js';

/** A real File that counts how often its contents are read. */
class CountingFile extends File {
  reads = 0;
  override text(): Promise<string> {
    this.reads++;
    return super.text();
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

const specs = [
  { name: 'model/w', shape: [2, 3], dtype: 'float32' },
  { name: 'model/b', shape: [3], dtype: 'float32' },
  { name: 'optimizer/0/iter', shape: [], dtype: 'int32' },
];
// 4 bytes per element: 2·3 + 3 + 1 (a scalar) elements.
const specBytes = 4 * (2 * 3 + 3 + 1);

function modelJson(manifest: unknown = [{ paths: ['./run.weights.bin'], weights: specs }], name = 'run.json') {
  return new CountingFile([JSON.stringify({ modelTopology: { k: 1 }, format: 'f', weightsManifest: manifest })], name, {
    type: 'application/json',
  });
}

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);

describe('readCsvUpload', () => {
  it('reads a file of at most maxBytes and refuses a larger one without reading it', async () => {
    const text = 'a,b\n1,2\n';
    expect(await readCsvUpload(new File([text], 'ok.csv'), text.length)).toBe(text);
    const big = new CountingFile([text], 'big.csv');
    const error = await rejection(readCsvUpload(big, text.length - 1));
    expect(error).toBeInstanceOf(CsvFormatError);
    expect(error.message).toMatch(/too large in big\.csv: expected at most 7 bytes .*found 8 bytes/);
    expect(big.reads).toBe(0);
  });

  it('checks against the documented default limit', async () => {
    expect(UPLOAD_LIMITS.csvBytes).toBe(32 * 1024 * 1024);
    const error = await rejection(readCsvUpload(new File([new Uint8Array(UPLOAD_LIMITS.csvBytes + 1)], 'x.csv')));
    expect(error.message).toMatch(/expected at most 33554432 bytes \(32 MiB\), found 33554433 bytes/);
  });
});

describe('weightBytes', () => {
  it('is 4 · ∏ shape summed over the specs', () => {
    expect(weightBytes(specs)).toBe(specBytes);
    expect(weightBytes([])).toBe(0);
  });

  it.each([
    [[{ name: 'w', shape: [-1], dtype: 'float32' }], /valid shape/],
    [[{ name: 'w', shape: [1.5], dtype: 'float32' }], /valid shape/],
    [[{ name: 'w', shape: 'big', dtype: 'float32' }], /valid shape/],
    [[{ name: 'w', shape: [2], dtype: 'float64' }], /unsupported type/],
    [[{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } }], /unsupported type/],
    [[{ shape: [2], dtype: 'float32' }], /without a name/],
    [{ w: 1 }, /not a list/],
    // 2^40 elements: refused from the shape alone (nothing of that size is ever allocated).
    [[{ name: 'w', shape: [2 ** 20, 2 ** 20], dtype: 'float32' }], /more than 256 MiB of weights/],
  ])('refuses %j', (bad, message) => {
    expect(() => weightBytes(bad)).toThrow(ModelFileError);
    expect(() => weightBytes(bad)).toThrow(message);
  });
});

describe('readModelUpload', () => {
  it('returns the topology, specs and weights of a matching pair', async () => {
    const weights = bytes(specBytes);
    const artifacts = await readModelUpload([new File([weights], 'run.weights.bin'), modelJson()]);
    expect(artifacts.modelTopology).toEqual({ k: 1 });
    expect(artifacts.format).toBe('f');
    expect(artifacts.weightSpecs).toEqual(specs);
    expect(new Uint8Array(artifacts.weightData as ArrayBuffer)).toEqual(weights);
  });

  it('joins the shards of a group in manifest order', async () => {
    const weights = bytes(specBytes);
    const manifest = [{ paths: ['a/run.1.bin', 'run.2.bin'], weights: specs }];
    const files = [new File([weights.slice(10)], 'run.2.bin'), new File([weights.slice(0, 10)], 'run.1.bin')];
    const artifacts = await readModelUpload([modelJson(manifest), ...files]);
    expect(new Uint8Array(artifacts.weightData as ArrayBuffer)).toEqual(weights);
  });

  for (const size of [specBytes - 1, specBytes + 1, 0]) {
    it(`refuses a weights file of ${size} bytes for a manifest of ${specBytes}, without reading it`, async () => {
      const bin = new CountingFile([bytes(size)], 'run.weights.bin');
      const error = await rejection(readModelUpload([modelJson(), bin]));
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message).toContain(`run.weights.bin holds ${size} bytes, run.json describes ${specBytes}`);
      expect(bin.reads).toBe(0);
    });
  }

  it('refuses a JSON file over the limit without reading it (nor the weights)', async () => {
    const json = modelJson();
    const bin = new CountingFile([bytes(specBytes)], 'run.weights.bin');
    const limits = { ...UPLOAD_LIMITS, modelJsonBytes: json.size - 1 };
    const error = await rejection(readModelUpload([json, bin], limits));
    expect(error.message).toContain(`run.json holds ${json.size} bytes, more than the ${json.size - 1}`);
    expect([json.reads, bin.reads]).toEqual([0, 0]);
  });

  it('refuses a manifest describing more weights than the limit before reading a weights file', async () => {
    const huge = [{ name: 'w', shape: [2 ** 27 + 1], dtype: 'float32' }]; // 512 MiB + 4 bytes
    const bin = new CountingFile([bytes(8)], 'run.weights.bin');
    const error = await rejection(readModelUpload([modelJson([{ paths: ['run.weights.bin'], weights: huge }]), bin]));
    expect(error.message).toMatch(/more than 256 MiB of weights/);
    expect(bin.reads).toBe(0);
  });

  it.each([
    ['no .json', () => [new File([bytes(specBytes)], 'run.weights.bin')], /choose one \.json/],
    ['two .json files', () => [modelJson(), modelJson(undefined, 'b.json')], /choose one \.json/],
    ['not JSON', () => [new File(['<x>'], 'run.json')], /run\.json is not valid JSON/],
    ['no manifest', () => [new File(['{}'], 'run.json')], /has no weightsManifest/],
    ['a missing shard', () => [modelJson()], /names run\.weights\.bin: choose it together/],
    [
      'an extra file',
      () => [modelJson(), new File([bytes(specBytes)], 'run.weights.bin'), new File(['x'], 'other.bin')],
      /other\.bin is not named in run\.json/,
    ],
    [
      'a shard named twice',
      () => [
        modelJson([{ paths: ['run.weights.bin', 'run.weights.bin'], weights: specs }]),
        new File([bytes(specBytes)], 'run.weights.bin'),
      ],
      /names run\.weights\.bin twice/,
    ],
  ])('refuses %s', async (_, files, message) => {
    const error = await rejection(readModelUpload(files()));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toMatch(message);
  });
});
