import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { assertClose } from './assert-close.js';
import { tidyAsync } from './tidy-async.js';

describe('tidyAsync', () => {
  it('disposes the tensors made in an async body, awaited reads included, and keeps its result', async () => {
    const before = tf.memory().numTensors;
    const kept = await tidyAsync(async () => {
      const a = tf.tensor1d([1, 2]);
      const b = tf.add(a, 1);
      await assertClose(b, [2, 3]);
      return tf.mul(b, 2);
    });
    expect(tf.memory().numTensors).toBe(before + 1); // only the result
    expect(Array.from(await kept.data())).toEqual([4, 6]);
    kept.dispose();
  });

  it('disposes them when the body rejects', async () => {
    const before = tf.memory().numTensors;
    await expect(
      tidyAsync(async () => {
        await tf.tensor1d([1]).data();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });
});
