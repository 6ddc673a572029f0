import { createRng, gaussianKl, negativeElbo, reparameterize, useBackend } from '@latentlab/core';
import * as tf from '@tensorflow/tfjs-core';

const { name } = await useBackend('wasm'); // imports @tensorflow/tfjs-backend-wasm, or says how to install it
const x = tf.tensor2d([[1, 0, 1]]); // [batch, features], binary pixels
const mu = tf.tensor2d([[0.5, -1]]); // q(z|x) = N(mu, diag(exp(logVar))), [batch, latentDim]
const logVar = tf.tensor2d([[0, -2]]);
const z = reparameterize(mu, logVar, createRng(0)); // mu + exp(logVar / 2) · eps, eps ~ N(0, I)
const W = tf.tensor2d([1, -1, 1, 0, 2, 0], [2, 3]); // a linear decoder, [latentDim, features]
const logits = tf.matMul(z, W); // [batch, features]
const kl = gaussianKl(mu, logVar).dataSync()[0]; // −½ Σ (1 + logVar − mu² − exp(logVar))
const { total } = negativeElbo(x, logits, mu, logVar); // Bernoulli −log p(x|z) + KL, nats per example
console.log(name, z.shape, kl.toFixed(4), total.dataSync()[0] > kl);
