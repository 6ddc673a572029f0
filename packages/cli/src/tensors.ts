import type { Dataset } from '@latentlab/data';
import * as tf from '@tensorflow/tfjs-core';

/** Rows of a data set as an [n, d] float32 tensor, bytes scaled to [0, 1] as in training. */
export function featureMatrix(data: Dataset): tf.Tensor2D {
  const n = data.shape[0]!;
  return tf.tidy(() => {
    const t = tf.tensor2d(Float32Array.from(data.x), [n, data.x.length / n]);
    return data.x instanceof Uint8Array ? tf.div(t, 255) : t;
  }) as tf.Tensor2D;
}

/** Runs `f`, reads the tensor it returns as float32 (clipped to [lo, hi] when given) and disposes it. */
export async function readTensor(f: () => tf.Tensor, clip?: [number, number]): Promise<Float32Array> {
  const t = tf.tidy(() => (clip ? tf.clipByValue(f(), clip[0], clip[1]) : f()));
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}
