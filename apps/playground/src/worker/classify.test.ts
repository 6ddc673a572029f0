// Real allocation failures, provoked on each backend that runs in Node, classified as the page would show them.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { CsvFormatError } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classify, classifyTrainingFailure } from './classify.js';

/** What `run` throws (it must throw). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('classify', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`reports a real out-of-memory failure on ${backend} as "Out of memory"`, async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      // 6 GiB of float32 (wasm: more than its 32-bit heap), 32 GiB (cpu: more than one typed array can hold).
      const error = thrown(() => tf.zeros(backend === 'wasm' ? [2 ** 29, 3] : [2 ** 30, 8]));
      const notice = classify(error);
      expect(notice.kind, String(error)).toBe('memory');
      expect(notice.message).toMatch(new RegExp(`^Out of memory on ${backend} \\(`));
      expect(notice.message).toMatch(/smaller batch or model/);
    });
  }

  it('reports a wasm heap that cannot grow (an allocation that fails inside the backend) as "Out of memory"', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const kept: tf.Tensor[] = [];
    const error = thrown(() => {
      for (let i = 0; i < 8; i++) kept.push(tf.ones([20000, 20000])); // 1.6 GB each
    });
    tf.dispose(kept);
    expect(classify(error).kind, String(error)).toBe('memory');
  }, 300_000); // filling up to 4 GB of wasm heap takes over a minute on a loaded machine

  it('keeps other failures apart', () => {
    expect(classify(new CsvFormatError('parseCsv', 'bad row', 'x', 'y')).kind).toBe('csv');
    expect(classify(new Error('something else'))).toEqual({ kind: 'other', message: 'something else' });
  });

  it('a training split that did not download is a data problem and says which data; other failures keep their kind', () => {
    expect(classifyTrainingFailure(new TypeError('Failed to fetch'))).toEqual({
      kind: 'data',
      message: 'The training rows could not be loaded: Failed to fetch',
    });
    expect(classifyTrainingFailure(new CsvFormatError('parseCsv', 'bad row', 'x', 'y')).kind).toBe('csv');
  });
});
