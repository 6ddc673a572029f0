import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradient registry reads flags that tfjs-core's index defines.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('wasm');
await tf.ready();
if (tf.getBackend() !== 'wasm') throw new Error(`test setup: expected backend wasm, found ${tf.getBackend()}`);
