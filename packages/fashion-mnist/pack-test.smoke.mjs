// Runs in a scratch project where @latentlab/fashion-mnist was installed from its packed tarball: the four files
// are there, gzipped, with the IDX headers the split rule gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { dataUrl, files } from '@latentlab/fashion-mnist';

for (const [split, n] of [
  ['train', 60000],
  ['test', 10000],
]) {
  const labels = gunzipSync(readFileSync(fileURLToPath(new URL(files[split].labels, dataUrl))));
  assert.deepEqual(
    [...labels.subarray(0, 8)],
    [0, 0, 8, 1, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255],
  );
  assert.equal(labels.length, 8 + n);
}
console.log('@latentlab/fashion-mnist from its tarball: ok');
