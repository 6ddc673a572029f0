// pack-test-with: @tensorflow/tfjs-backend-cpu
// Runs in a scratch project where @latentlab/core was installed from its packed tarball, with only its peer
// (@tensorflow/tfjs-core) and a backend: what a user who installs the package alone gets, in plain Node.
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import { bernoulliNll, createRng, gaussianKl, reparameterize, ShapeError, selectBackend } from '@latentlab/core';
import { assertClose, assertNoLeaks } from '@latentlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';

tf.env().set('IS_TEST', true);
const { name, fallbacks } = await selectBackend(['wasm', 'cpu']);
assert.equal(name, 'cpu');
assert.match(fallbacks[0].reason, /tfjs-backend-wasm/);

await assertNoLeaks(() =>
  tf.tidy(() => {
    // KL(N(1, e^0) ‖ N(0, 1)) = −½(1 + 0 − 1 − 1) = ½
    assertClose(gaussianKl(tf.tensor2d([[1]]), tf.tensor2d([[0]])), [0.5], { atol: 1e-6 });
    assertClose(bernoulliNll(tf.tensor2d([[1]]), tf.tensor2d([[-100]])), [100], { atol: 1e-4 });
    const z = reparameterize(tf.zeros([4, 2]), tf.zeros([4, 2]), createRng(1));
    assert.deepEqual(z.shape, [4, 2]);
  }),
);
assert.throws(() => gaussianKl(tf.zeros([2, 3]), tf.zeros([2, 4])), ShapeError);
console.log('@latentlab/core from its tarball: ok');
