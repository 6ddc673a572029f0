/**
 * `@latentlab/data/node`: loaders that read from the file system (Node only). The platform-neutral
 * parsers and URL loaders are in `@latentlab/data`.
 */
export { FASHION_MNIST_DIR, type LoadFashionMnistOptions, loadFashionMnist } from './fashion-mnist.js';
export { type LoadMnistOptions, loadMnist, mnistDataDir } from './mnist.js';
export { readIdxPath } from './read-idx-path.js';
