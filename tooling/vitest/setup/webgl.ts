import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradient registry reads flags that tfjs-core's index defines.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

await tf.setBackend('webgl');
await tf.ready();
if (tf.getBackend() !== 'webgl') throw new Error(`test setup: expected backend webgl, found ${tf.getBackend()}`);
const version = tf.env().getNumber('WEBGL_VERSION');
const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
if (version !== 2 || !float32) {
  throw new Error(
    `test setup: expected WebGL2 with float32 rendering, found WEBGL_VERSION=${version}, float32=${float32}`,
  );
}
