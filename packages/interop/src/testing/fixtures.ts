/** Test helpers (not published): fixture bytes on every backend, and the decoder's pre-sigmoid output. */
import type { Autoencoder, Vae } from '@latentlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors, type SafetensorsFile } from '../safetensors/read.js';

/** The bytes of `packages/interop/fixtures/<relative>`: read from disk in Node, fetched from vite in a browser. */
export async function fixtureBytes(relative: string): Promise<Uint8Array> {
  // Not `new URL(…, import.meta.url)` literally: vite would rewrite that into a one-level glob of assets.
  const here = import.meta.url;
  const url = new URL(`../../fixtures/${relative}`, here);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fixture ${relative}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A fixture safetensors file, parsed. */
export async function fixture(relative: string): Promise<SafetensorsFile> {
  return readSafetensors(await fixtureBytes(relative));
}

/**
 * The decoder's last pre-activation f(z) (logits of a Bernoulli decoder, the mean of a Gaussian one), from the
 * model's own weights by name: h = act(h·W_i + b_i) for every decoder layer but the last, then h·W + b.
 */
export function decoderOutput(model: Vae | Autoencoder, z: tf.Tensor2D): tf.Tensor2D {
  const weights = model.getWeights();
  try {
    return tf.tidy(() => {
      const n = Object.keys(weights).filter((k) => /^decoder\/\d+\/w$/.test(k)).length;
      let h: tf.Tensor2D = z;
      for (let i = 0; i < n; i++) {
        h = tf.add(tf.matMul(h, weights[`decoder/${i}/w`] as tf.Tensor2D), weights[`decoder/${i}/b`]!);
        if (i < n - 1) h = activate(h, model.config.activation);
      }
      return h;
    });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

function activate(x: tf.Tensor2D, activation: string): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2);
    default:
      return x;
  }
}

/** max |a − b| over two equally long arrays (∞ when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
