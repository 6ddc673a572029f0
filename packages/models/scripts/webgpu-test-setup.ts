// Test setup of the `models:webgpu` project (headless Chromium, SwiftShader's WebGPU adapter): the webgpu backend
// is the default, and cpu is registered beside it for the tests' cpu references.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradient registry reads flags that tfjs-core's index defines.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('webgpu');
await tf.ready();
if (tf.getBackend() !== 'webgpu') throw new Error(`test setup: expected backend webgpu, found ${tf.getBackend()}`);
