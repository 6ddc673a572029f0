/**
 * `@latentlab/data`: real datasets in their real formats. Platform-neutral (Node and browsers): IDX
 * reader/writer, gzip through `DecompressionStream`, CSV, and URL loaders for MNIST and Fashion-MNIST.
 * File-system loaders (`loadMnist`, `loadFashionMnist`) are in `@latentlab/data/node`.
 */

// Exports are one list, kept sorted by biome. Formats and loaders: csv, errors, fashion-mnist, gzip, idx, mnist.
// Data pipeline: batches, dataset, prng, split, stream, synthetic/, transforms (add their lines anywhere;
// `biome check --write` sorts them).

export { type Batch, type BatchOptions, batchCount, batches, epochOrder } from './batches.js';
export {
  CSV_MAX_COLUMNS,
  type CsvDataset,
  type FormatCsvOptions,
  formatCsv,
  type ParseCsvOptions,
  parseCsv,
} from './csv.js';
export {
  checkDataset,
  createDataset,
  type Dataset,
  type DatasetInit,
  datasetFromImages,
  datasetSize,
  type FeatureArray,
  featureSize,
  type LabelArray,
  subset,
} from './dataset.js';
export {
  CsvFormatError,
  DataFormatError,
  type DataLocation,
  DatasetError,
  formatLocation,
  GzipError,
  IdxFormatError,
} from './errors.js';
export { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_FILES, loadFashionMnistFromUrl } from './fashion-mnist.js';
export { DEFAULT_MAX_BYTES, type GunzipOptions, gunzip, isGzip, readIdxFile } from './gzip.js';
export {
  IDX_DTYPE_CODES,
  IDX_MAX_ELEMENTS,
  IDX_MAX_RANK,
  type IdxArray,
  type IdxDataTypes,
  type IdxDtype,
  type ReadIdxOptions,
  readIdx,
  writeIdx,
} from './idx.js';
export { type ParsedIdxHeader, type ParseIdxHeaderOptions, parseIdxHeader } from './idx-header.js';
export {
  type FetchLike,
  type ImageDataset,
  type ImageDatasetCheck,
  imageDatasetFromIdx,
  type LoadFromUrlOptions,
  loadImageDatasetFromUrl,
  loadMnistFromUrl,
  MNIST_CLASS_NAMES,
  MNIST_FILES,
  MNIST_SPLIT_SIZES,
  type Split,
  type SplitFiles,
} from './mnist.js';
export { deriveSeed, Prng } from './prng.js';
export { type SplitOptions, type TrainValidationSplit, trainValidationSplit } from './split.js';
export { type RowSource, type StreamOptions, streamBatches } from './stream.js';
export { type GaussianBlobs, type GaussianBlobsOptions, gaussianBlobs } from './synthetic/gaussian-blobs.js';
export { type LinearSubspace, type LinearSubspaceOptions, noisyLinearSubspace } from './synthetic/linear-subspace.js';
export type { SyntheticOptions } from './synthetic/options.js';
export { sCurve } from './synthetic/s-curve.js';
export { swissRoll } from './synthetic/swiss-roll.js';
export { twoMoons } from './synthetic/two-moons.js';
export {
  type Binarize,
  type FitStandardizerOptions,
  fitStandardizer,
  type Scale,
  type Standardizer,
  type TransformOptions,
} from './transforms.js';
