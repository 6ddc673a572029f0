import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradient registry reads flags that tfjs-core's index defines.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('cpu');
await tf.ready();
if (tf.getBackend() !== 'cpu') throw new Error(`test setup: expected backend cpu, found ${tf.getBackend()}`);
