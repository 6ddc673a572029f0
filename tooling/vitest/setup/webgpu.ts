// cpu is registered beside webgpu (at a lower priority) for the tests that compute a cpu reference.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradient registry reads flags that tfjs-core's index defines.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

// WebGPU through SwiftShader in headless Chromium (webgpuChromiumArgs). The backend registers only where
// navigator.gpu exists; a missing adapter would fail inside tfjs with a bare TypeError, so say what is missing.
const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
if (gpu == null || (await gpu.requestAdapter()) == null) {
  throw new Error(
    'test setup: expected a WebGPU adapter (Chromium with --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader on http://localhost)',
  );
}
await tf.setBackend('webgpu');
await tf.ready();
if (tf.getBackend() !== 'webgpu') throw new Error(`test setup: expected backend webgpu, found ${tf.getBackend()}`);
