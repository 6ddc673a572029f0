/**
 * `@latentlab/data`: real datasets in their real formats. Platform-neutral (Node and browsers): IDX
 * reader/writer, gzip through `DecompressionStream`, CSV, and URL loaders for MNIST and Fashion-MNIST.
 * File-system loaders (`loadMnist`, `loadFashionMnist`) are in `@latentlab/data/node`.
 */
export { formatCsv, parseCsv } from './csv.js';
export { CsvFormatError, DataFormatError, DatasetError, formatLocation, GzipError, IdxFormatError, } from './errors.js';
export { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES, loadFashionMnistFromUrl } from './fashion-mnist.js';
export { gunzip, isGzip, readIdxFile } from './gzip.js';
export { IDX_DTYPE_CODES, IDX_MAX_ELEMENTS, IDX_MAX_RANK, readIdx, writeIdx, } from './idx.js';
export { imageDatasetFromIdx, loadImageDatasetFromUrl, loadMnistFromUrl, MNIST_CLASS_NAMES, MNIST_FILES, MNIST_SPLIT_SIZES, } from './mnist.js';
// ---------------------------------------------------------------------------------------------------------
// Datasets, batching, transforms, splits, streaming and synthetic sets (dataset.ts, batches.ts,
// transforms.ts, split.ts, stream.ts, synthetic/, prng.ts): export lines for those modules go below.
// ---------------------------------------------------------------------------------------------------------
