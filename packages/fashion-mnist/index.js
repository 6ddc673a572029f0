// @latentlab/fashion-mnist: Fashion-MNIST as data. This file only names the files; @latentlab/data reads them
// (loadFashionMnist in Node, loadFashionMnistFromUrl after copying data/ to a web app's public assets).

/** Names of the four gzipped IDX files in `data/`, by split. */
export const files = Object.freeze({
  train: { images: 'fashion-mnist-train-images-idx3-ubyte.gz', labels: 'fashion-mnist-train-labels-idx1-ubyte.gz' },
  test: { images: 'fashion-mnist-test-images-idx3-ubyte.gz', labels: 'fashion-mnist-test-labels-idx1-ubyte.gz' },
});

/** URL of the `data/` folder (a `file:` URL in Node; resolve with `fileURLToPath`). */
export const dataUrl = new URL('./data/', import.meta.url).href;
