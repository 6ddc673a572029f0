import { memory } from '@tensorflow/tfjs-core';
import { AssertionError } from './assert-close.js';

/**
 * Runs `fn` and asserts that the number of live tensors afterwards equals the count before plus
 * `expectedDelta` (tfjs `concat_test.ts` style). The result of `fn` is returned so the caller can
 * inspect and dispose it; pass the number of tensors it returns as `expectedDelta`.
 *
 * @example
 * const [a, b] = [tf.ones([2]), tf.ones([2])];
 * const out = await assertNoLeaks(() => tf.tidy(() => tf.add(a, b)), 1);
 * out.dispose();
 */
export async function assertNoLeaks<T>(fn: () => T | Promise<T>, expectedDelta = 0, label = ''): Promise<T> {
  const before = memory().numTensors;
  const result = await fn();
  const after = memory().numTensors;
  if (after - before !== expectedDelta) {
    throw new AssertionError(
      `assertNoLeaks${label ? ` (${label})` : ''}: tensor count went from ${before} to ${after} (delta ${after - before}), expected delta ${expectedDelta}`,
    );
  }
  return result;
}
