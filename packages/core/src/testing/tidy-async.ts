import { engine, type TensorContainer } from '@tensorflow/tfjs-core';

/**
 * `tf.tidy` for an async test body: every tensor created while `fn` runs is disposed when it settles, except
 * those in its result (tfjs-core `engine.ts` `startScope` / `endScope`, which `tidy` uses around sync code). For
 * tests that read results asynchronously (`await assertClose(...)`, `await t.data()`) — the only reads that work on
 * every backend, webgpu included. Run one at a time: tensors made by concurrent async work land in the same scope.
 *
 * @example
 * await tidyAsync(async () => {
 *   await assertClose(tf.add(1, 2), 3); // the two tensors are disposed afterwards
 * });
 */
export async function tidyAsync<T>(fn: () => Promise<T>): Promise<T> {
  engine().startScope();
  let result: T | undefined;
  try {
    result = await fn();
    return result;
  } finally {
    engine().endScope(result as TensorContainer);
  }
}
